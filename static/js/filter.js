// The indicators filter is collapsed on a phone, so the results come first; from tablet width,
// where it sits beside the results, it starts open.
const filter = document.getElementById("filter");
if (filter && window.matchMedia("(min-width: 40.0625em)").matches) {
  filter.open = true;
}
