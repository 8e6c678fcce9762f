"""Facts about cases that other apps react to (the payments app issues the fee of a decision).

A receiver does one thing: call a service or enqueue a task. The signals are sent inside the
transaction of the change, so a task that a receiver enqueues commits or rolls back with it:
the database queue makes that an outbox.
"""

from django.dispatch import Signal

# Sent with `case` when a decision takes effect: taken by a person (and confirmed where the
# four-eyes principle applies), by rules, or by law (deemed approval).
case_decided = Signal()

# Sent with `case` when a submitted application has become a case (the receipt is due).
case_submitted = Signal()
