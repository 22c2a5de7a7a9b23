/* OGP Local Stories: the downloads page's "Copy" buttons. */
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-ogp-copy]");
  if (!button) return;
  var field = document.getElementById(button.getAttribute("data-ogp-copy"));
  if (!field) return;
  var done = function () {
    var label = button.textContent;
    var strings = document.getElementById("ogp-search-strings");
    var said = strings ? JSON.parse(strings.textContent).copied : null;
    button.textContent = said || "Copied";
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

/* Videos play only when the reader asks: nothing is requested from the video
   host before the click. */
document.addEventListener("click", function (event) {
  var button = event.target.closest(".ogp-video__play");
  if (!button) return;
  var box = button.closest("[data-ogp-video]");
  var frame = document.createElement("iframe");
  frame.src = box.getAttribute("data-ogp-video");
  frame.title = box.getAttribute("data-title") || "Video";
  frame.allow = "autoplay; fullscreen; picture-in-picture";
  frame.setAttribute("allowfullscreen", "");
  frame.className = "ogp-video__frame";
  box.replaceChildren(frame);
});

/* A roundup's filter by kind of item (news, videos, blog posts, Faces of Open Gov).
   Without JavaScript the filter stays hidden and every item shows. */
document.querySelectorAll("[data-ogp-filter]").forEach(function (filter) {
  filter.hidden = false;
  filter.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-kind]");
    if (!button) return;
    var kind = button.getAttribute("data-kind");
    filter.querySelectorAll("button").forEach(function (other) {
      var on = other === button;
      other.setAttribute("aria-pressed", on ? "true" : "false");
      other.classList.toggle("md-button--primary", on);
    });
    document.querySelectorAll(".ogp-items > .ogp-item").forEach(function (item) {
      item.hidden = kind !== "" && item.getAttribute("data-kind") !== kind;
    });
  });
});
