// Every multi-select becomes a searchable list of removable choices (Tom Select, served
// from our static files by django-tomselect), in place of "Hold Ctrl to choose several".
// A file rather than inline script: the Content-Security-Policy allows only our scripts.
document.querySelectorAll("select[multiple]").forEach((select) => {
  new window.TomSelect(select, { plugins: ["remove_button"], hidePlaceholder: true });
});
