// The print button needs JavaScript, so it is hidden until this runs.
for (const button of document.querySelectorAll(".js-print")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// The level table's column headings stick below the emergency banner, which is sticky too and
// changes height with the width of the screen (and when its details are opened).
const banner = document.querySelector(".emergency-banner");
if (banner && document.querySelector(".level-table")) {
  const stickBelowBanner = () =>
    document.documentElement.style.setProperty("--app-sticky-top", `${banner.offsetHeight}px`);
  stickBelowBanner();
  new ResizeObserver(stickBelowBanner).observe(banner);
}
