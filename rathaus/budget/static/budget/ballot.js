// The running total of a citizens' budget ballot. The form works without it: the server checks
// the number of projects and the cost cap and explains any problem.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-ballot]");
  const output = form && form.querySelector("[data-ballot-total]");
  if (!output) {
    return;
  }
  const budget = Number(form.dataset.budget);
  const euros = new Intl.NumberFormat(document.documentElement.lang || "de", {
    style: "currency", currency: "EUR", maximumFractionDigits: 0,
  });
  const update = () => {
    const boxes = [...form.querySelectorAll("input[data-cost]:checked")];
    const total = boxes.reduce((sum, box) => sum + Number(box.dataset.cost), 0);
    const over = form.hasAttribute("data-cost-cap") && total > budget;
    // The sentences come translated from the page: {count}, {total}, {budget} filled in here.
    const text = output.dataset.text
      .replace("{count}", boxes.length)
      .replace("{total}", euros.format(total))
      .replace("{budget}", euros.format(budget));
    output.textContent = over ? `${text} ${output.dataset.over}` : text;
    output.hidden = false;
  };
  form.addEventListener("change", update);
  update();
});
