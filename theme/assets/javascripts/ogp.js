/* OGP Local Stories: the downloads page's "Copy" buttons. */
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-ogp-copy]");
  if (!button) return;
  var field = document.getElementById(button.getAttribute("data-ogp-copy"));
  if (!field) return;
  var done = function () {
    var label = button.textContent;
    button.textContent = "Copied";
    window.setTimeout(function () { button.textContent = label; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done);
  } else {
    field.select();
    document.execCommand("copy");
    done();
  }
});
