// The print button needs JavaScript, so it is hidden until this runs.
for (const button of document.querySelectorAll(".js-print")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
