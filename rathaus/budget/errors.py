class BudgetError(Exception):
    """A citizens' budget action that is not possible; the message is translated and shown."""

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
