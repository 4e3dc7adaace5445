// Presentation mode: arrow keys, Page Up / Page Down (presenter clickers), Space, Home and End
// move between slides in place, so full screen survives; Escape leaves. Each slide keeps its own
// address. Without JavaScript the Previous / Next links load each slide as its own page.
const deck = document.querySelector(".deck");
const slides = [...deck.querySelectorAll(".slide")];
let current = slides.findIndex((slide) => !slide.hidden);

// Type as large as the slide's text leaves room for: the slides are cut to fit at 28px on a
// 1920x1080 screen, and a slide with less text is shown larger, up to about 1/20 of the screen's
// height. Nothing is cut off: no cell and no page overflows the screen (on a smaller screen, the
// smallest type is smaller in proportion).
const SMALLEST = 28;

function fits(slide) {
  const page = document.documentElement;
  return (
    page.scrollHeight <= window.innerHeight &&
    page.scrollWidth <= window.innerWidth &&
    [...slide.querySelectorAll(".slide__cell, .slide__head")].every(
      (box) => box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1,
    )
  );
}

function fit(slide) {
  const scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080, 1);
  const smallest = Math.max(12, Math.floor(SMALLEST * scale));
  const largest = Math.max(smallest, Math.min(window.innerHeight / 20, window.innerWidth / 36));
  slide.style.setProperty("--slide-font", `${smallest}px`);
  if (!fits(slide)) return;
  let low = smallest;
  let high = largest;
  while (high - low > 1) {
    const size = (low + high) / 2;
    slide.style.setProperty("--slide-font", `${size}px`);
    if (fits(slide)) low = size;
    else high = size;
  }
  slide.style.setProperty("--slide-font", `${Math.floor(low)}px`);
}

function show(index, push = true) {
  if (index < 0 || index >= slides.length || index === current) return;
  slides[current].hidden = true;
  slides[index].hidden = false;
  current = index;
  fit(slides[index]);
  document.title = deck.dataset.title.replace("{n}", index + 1);
  if (push) history.pushState({ index }, "", slides[index].dataset.href);
}

const keys = {
  ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1,
  ArrowLeft: -1, ArrowUp: -1, PageUp: -1,
};

document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.key in keys) {
    event.preventDefault();
    show(current + keys[event.key]);
  } else if (event.key === "Home") {
    event.preventDefault();
    show(0);
  } else if (event.key === "End") {
    event.preventDefault();
    show(slides.length - 1);
  } else if (event.key === "Escape" && !document.fullscreenElement) {
    window.location.assign(deck.dataset.exit);
  }
});

deck.addEventListener("click", (event) => {
  const link = event.target.closest("a[rel=prev], a[rel=next]");
  if (!link) return;
  event.preventDefault();
  show(current + (link.rel === "next" ? 1 : -1));
  slides[current].querySelector(`a[rel=${link.rel}]`)?.focus();
});

window.addEventListener("popstate", () => {
  const index = slides.findIndex((slide) => slide.dataset.href === window.location.pathname);
  if (index >= 0) show(index, false);
});

for (const button of document.querySelectorAll(".js-fullscreen")) {
  if (!document.fullscreenEnabled) continue;
  button.hidden = false;
  button.addEventListener("click", () => document.documentElement.requestFullscreen());
}

fit(slides[current]);
let resizing;
window.addEventListener("resize", () => {
  cancelAnimationFrame(resizing);
  resizing = requestAnimationFrame(() => fit(slides[current]));
});
