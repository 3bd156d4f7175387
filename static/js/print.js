// A button with data-print prints the page. A file of its own, not an onclick
// attribute: the Content-Security-Policy runs only scripts served by Overstone.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
