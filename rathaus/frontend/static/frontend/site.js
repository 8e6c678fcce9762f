// Move focus to the error summary so screen readers announce the problems first (GOV.UK pattern).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});

// A second click on a send button while the page loads would send the form twice; the server
// is idempotent anyway, this only spares the wait.
document.addEventListener("submit", (event) => {
  const button = event.target.querySelector("button[data-once]");
  if (button) {
    setTimeout(() => { button.disabled = true; }, 0);
  }
});
