/* OGP Local Stories' part of the browser editor (Decap CMS), loaded after Decap.
 *
 * What config.yml cannot say, from editor.json (made by the build):
 * - our file layout: a story in the site's default language is `slug.md`, not
 *   Decap's `slug.en.md`, and roundup months share their folders with their items
 *   (the months collection lists `ogp-months/roundups`): every backend Decap talks
 *   to (the local proxy, GitHub, GitLab…) sees our paths, Decap sees its own;
 * - the rules `ogp-local check` applies that a form field cannot: a new file's name
 *   must be a slug, an image needs its alt text;
 * - `member` and `country` as authors write them: one name, or a list;
 * - a preview that is the site's own page, reloaded after each save.
 */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;
  var BACKENDS = ["proxy", "github", "gitlab", "gitea", "forgejo", "bitbucket", "azure", "git-gateway", "test-repo"];

  // `mkdocs serve` puts its live reload into every page it serves, this one too: it
  // would reload the editor (and lose what is being typed) at each build a save
  // starts. The preview pane reloads instead (Preview below).
  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.ogpQuiet = String(url).indexOf("/livereload/") === 0;
    return open.apply(this, arguments);
  };
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function () {
    if (!this.ogpQuiet) return send.apply(this, arguments);
  };

  fetch("editor.json", { cache: "no-store" })
    .then(function (response) { return response.json(); })
    .then(start);

  function start(ogp) {
    var paths = layout(ogp);
    BACKENDS.forEach(function (name) {
      var backend = CMS.getBackend(name);
      if (!backend || backend.ogp) return;
      var init = backend.init;
      backend.init = function () { return wrap(init.apply(null, arguments), paths); };
      backend.ogp = true;
    });
    CMS.registerWidget("ogp-names", Names, NamesPreview);
    CMS.registerEventListener({ name: "preSave", handler: function (event) { refuse(event.entry, ogp); } });
    CMS.registerEventListener({ name: "postSave", handler: function (event) { saved(event.entry); } });
    var preview = Preview(ogp, paths);
    ["cases", "items", "months", "circles", "pages"].forEach(function (name) {
      CMS.registerPreviewTemplate(name, preview);
    });
    CMS.init();
  }

  // -- paths: ours in storage, Decap's in the editor -------------------------------

  function layout(ogp) {
    var main = ogp.languages[0];
    var shown = ogp.months.shown + "/";
    var stored = ogp.months.stored + "/";
    var languages = ogp.languages;

    function isLanguage(part) { return languages.indexOf(part) >= 0; }

    function toStore(path) {
      if (typeof path !== "string") return path;
      if (path.indexOf(shown) === 0) path = stored + path.slice(shown.length);
      var suffix = "." + main + ".md";
      if (path.slice(-suffix.length) === suffix) path = path.slice(0, -suffix.length) + ".md";
      return path;
    }

    function toEditor(path) {
      if (typeof path !== "string" || path.slice(-3) !== ".md") return path;
      var name = path.split("/").pop();
      var stem = name.slice(0, -3);
      if (path.indexOf(stored) === 0 && (stem === "index" || stem.indexOf("index.") === 0)) {
        path = shown + path.slice(stored.length);
      }
      var parts = stem.split(".");
      if (parts.length === 1 || !isLanguage(parts[parts.length - 1])) {
        path = path.slice(0, -3) + "." + main + ".md";
      }
      return path;
    }

    function isMonth(path) {
      var stem = path.split("/").pop().split(".")[0];
      return stem === "index";
    }

    return {
      ogp: ogp,
      main: main,
      shown: ogp.months.shown,
      stored: ogp.months.stored,
      toStore: toStore,
      toEditor: toEditor,
      isMonth: isMonth,
      isLanguage: isLanguage,
    };
  }

  var PATH_KEYS = { path: true, newPath: true, oldPath: true, id: true, paths: true, folder: true, mediaFolder: true };

  /* A copy of `value` with `map` applied to its paths: the strings under the keys
   * above (a backend's arguments and answers are plain objects and lists), or the
   * strings themselves where `isPath`. An AssetProxy (an upload) is changed in place. */
  function mapped(value, map, isPath) {
    if (typeof value === "string") return isPath ? map(value) : value;
    if (Array.isArray(value)) {
      var list = value.map(function (item) { return mapped(item, map, isPath); });
      Object.getOwnPropertySymbols(value).forEach(function (symbol) { list[symbol] = value[symbol]; });
      return list;
    }
    if (value && typeof value === "object") {
      if (Object.getPrototypeOf(value) !== Object.prototype) {
        if (typeof value.path === "string") value.path = map(value.path);
        return value;
      }
      var copy = {};
      Object.keys(value).forEach(function (key) { copy[key] = mapped(value[key], map, PATH_KEYS[key] === true); });
      return copy;
    }
    return value;
  }

  function wrap(implementation, paths) {
    function toStore(args) {
      return Array.prototype.map.call(args, function (arg) { return mapped(arg, paths.toStore, true); });
    }
    function toEditor(result) {
      return Promise.resolve(result).then(function (value) { return mapped(value, paths.toEditor, false); });
    }
    function listed(folder, found) {
      // Months and items share their folders: each collection lists its own.
      var stored = paths.toStore(folder);
      if (stored !== paths.stored) return found;
      var months = folder === paths.shown;
      var kept = found.filter(function (entry) { return paths.isMonth(entry.file.path) === months; });
      Object.getOwnPropertySymbols(found).forEach(function (symbol) { kept[symbol] = found[symbol]; });
      return kept;
    }
    return new Proxy(implementation, {
      get: function (target, name) {
        var member = target[name];
        if (typeof member !== "function") return member;
        if (name === "entriesByFolder") {
          return function (folder, extension, depth) {
            return target.entriesByFolder(paths.toStore(folder), extension, depth).then(function (found) {
              return toEditor(listed(folder, found));
            });
          };
        }
        return function () {
          var args = Array.prototype.slice.call(arguments);
          if (name === "persistEntry") {
            refuseNames(args[0], paths);
            args[0] = translationsWritten(args[0], paths);
          }
          var result = member.apply(target, toStore(args));
          return result && typeof result.then === "function" ? toEditor(result) : result;
        };
      },
    });
  }

  // -- what check refuses and a form field cannot --------------------------------

  function refuseNames(entry, paths) {
    var slug = new RegExp(paths.ogp.slug);
    (entry.dataFiles || [entry]).forEach(function (file) {
      [file.path, file.newPath].forEach(function (path) {
        if (!path) return;
        var stem = path.split("/").pop().replace(/\.md$/, "");
        var parts = stem.split(".");
        if (parts.length > 1 && paths.isLanguage(parts[parts.length - 1])) parts.pop();
        var name = parts.join(".");
        if (!slug.test(name)) {
          throw new Error(
            path + ": '" + name + "' is not a slug (lower-case letters, digits and hyphens): " +
            "change the title's characters that are not letters or digits, e.g. '_' or '~'"
          );
        }
      });
    });
  }

  /* What `ogp-local check` refuses that Decap lets through: an image without its
   * alt text; a translation that writes some words but not those every translation
   * must (a case study's title and summary, an item's title, a month's summary) or
   * not the alt text of the original's image. */
  function refuse(entry, ogp) {
    var problems = [];
    var data = entry.get("data");
    var image = data && data.get("image");
    if (image && !text(data.get("image_alt"))) problems.push("image_alt: " + ALT);
    var needed = ogp.required_words[entry.get("collection")] || [];
    var i18n = entry.get("i18n");
    if (i18n && i18n.forEach) {
      i18n.forEach(function (translation, lang) {
        var words = translation.get("data");
        if (!writesWords(words, ogp)) return;
        needed.forEach(function (name) {
          if (!text(words.get(name))) {
            problems.push(name + " (" + lang + "): a translation writes its own " + name + ": fill it in, or leave the translation empty");
          }
        });
        if (image && !text(words.get("image_alt"))) problems.push("image_alt (" + lang + "): " + ALT);
      });
    }
    if (problems.length) throw new Error(problems.join("; "));
  }

  var ALT = "the image needs its alt text: say what it shows, for readers who cannot see it";

  function text(value) {
    if (value === null || value === undefined) return "";
    if (value.toJS) value = value.toJS();
    return Array.isArray(value) ? value.join("") : String(value).trim();
  }

  function writesWords(data, ogp) {
    if (!data || !data.get) return false;
    return ogp.translatable.concat(["body"]).some(function (name) { return text(data.get(name)) !== ""; });
  }

  /* The files of a save as our layout has them: a translation no one wrote is not
   * written (Decap writes one for every language, holding the form's defaults), and
   * a translation holds only its words (the rest comes from the original). */
  function translationsWritten(entry, paths) {
    if (!entry.dataFiles) return entry;
    var main = "." + paths.main + ".md";
    var keep = paths.ogp.translatable.concat(["draft"]);
    var files = entry.dataFiles.filter(function (file) {
      if (file.path.slice(-main.length) === main || !/\.[a-z-]+\.md$/.test(file.path)) return true;
      file.raw = onlyWords(file.raw, keep);
      return file.raw !== null;
    });
    return Object.assign({}, entry, { dataFiles: files });
  }

  function onlyWords(raw, keep) {
    var match = /^---\n([\s\S]*?)\n?---\n?([\s\S]*)$/.exec(raw);
    if (!match) return raw.trim() ? raw : null;
    var entries = [];
    match[1].split("\n").forEach(function (line) {
      var key = /^([A-Za-z_][\w-]*):(.*)$/.exec(line);
      if (key) entries.push({ key: key[1], inline: key[2].trim(), lines: [line] });
      else if (entries.length) entries[entries.length - 1].lines.push(line);
    });
    var kept = entries.filter(function (entry) {
      var empty = /^(\[\]|''|""|\{\})?$/.test(entry.inline) && entry.lines.length === 1;
      return keep.indexOf(entry.key) >= 0 && !empty;
    });
    var body = match[2].replace(/^\n+/, "");
    var words = body.trim() !== "" || kept.some(function (entry) { return entry.key !== "draft"; });
    if (!words) return null;
    var lines = [].concat.apply([], kept.map(function (entry) { return entry.lines; }));
    return "---\n" + lines.join("\n") + "\n---\n" + (body ? "\n" + body : "");
  }

  // -- member and country: one name, or several --------------------------------------

  function names(value) {
    if (value === null || value === undefined) return "";
    if (value.toJS) value = value.toJS();
    return Array.isArray(value) ? value.join(", ") : String(value);
  }

  var Names = createClass({
    getInitialState: function () { return { text: names(this.props.value) }; },
    handleChange: function (event) {
      var text = event.target.value;
      this.setState({ text: text });
      var parts = text.split(",").map(function (part) { return part.trim(); }).filter(Boolean);
      this.props.onChange(parts.length > 1 ? parts : parts[0] || "");
    },
    render: function () {
      return h("input", {
        type: "text",
        id: this.props.forID,
        className: this.props.classNameWrapper,
        value: this.state.text,
        onChange: this.handleChange,
        onFocus: this.props.setActiveStyle,
        onBlur: this.props.setInactiveStyle,
      });
    },
  });

  var NamesPreview = createClass({
    render: function () { return h("span", {}, names(this.props.value)); },
  });

  // -- the preview: the page as the site shows it --------------------------------------

  var previews = [];

  function saved(entry) {
    previews.slice().forEach(function (preview) { preview.followSave(); });
  }

  function pageOf(path, paths, lang) {
    var folders = paths.ogp.folders;
    if (!path) return null;
    path = paths.toStore(path);
    var prefix = lang && lang !== paths.main ? lang + "/" : "";
    var stem = path.replace(/\.md$/, "").split(".")[0];
    var parts = stem.split("/");
    var slug = parts[parts.length - 1];
    if (stem.indexOf(folders.cases + "/") === 0) return prefix + "cases/" + slug + "/";
    if (stem.indexOf(folders.roundups + "/") === 0) {
      var month = parts[parts.length - 2];
      return prefix + "roundups/" + month + "/" + (slug === "index" ? "" : "#" + slug);
    }
    if (stem.indexOf(folders.docs + "/circles/") === 0) return prefix + "circles/" + slug + "/";
    if (stem.indexOf(folders.docs + "/") === 0) {
      var page = stem.slice(folders.docs.length + 1);
      return prefix + (page === "index" ? "" : page + "/");
    }
    return null;
  }

  var BAR = {
    display: "flex", flexWrap: "wrap", gap: ".5rem", alignItems: "center", padding: ".5rem",
    font: "14px/1.4 system-ui, sans-serif", color: "#1a1a1a", background: "#f4f6f8",
    borderBottom: "1px solid #c8ced6",
  };
  var NOTE = { padding: "1rem", font: "16px/1.5 system-ui, sans-serif", color: "#1a1a1a" };
  var CARD = { margin: "1rem", font: "14px/1.4 system-ui, sans-serif", color: "#1a1a1a" };
  var FRAME = { display: "block", width: "100%", height: "calc(100vh - 3rem)", border: 0 };

  function buttonStyle(on) {
    return {
      padding: ".15rem .6rem", border: "1px solid #12355b", borderRadius: "3px", cursor: "pointer",
      background: on ? "#12355b" : "#fff", color: on ? "#fff" : "#12355b",
    };
  }

  function Preview(ogp, paths) {
    var root = new URL("..", window.location.href);
    return createClass({
      getInitialState: function () { return { lang: paths.main, reload: 0, waiting: false }; },
      componentDidMount: function () {
        previews.push(this);
        this.follow(undefined); // a page saved a moment ago may not be served yet
      },
      componentWillUnmount: function () {
        previews.splice(previews.indexOf(this), 1);
        this.gone = true;
      },
      address: function () {
        var page = pageOf(this.props.entry.get("path"), paths, this.state.lang);
        return page === null ? null : new URL(page, root).href;
      },
      followSave: function () {
        this.follow(this.shown);
      },
      follow: function (before) {
        // The preview server renders a saved page first, then the rest of the site:
        // reload when the page answers, with something else than `before`.
        var self = this;
        var started = Date.now();
        var missing = false;
        var ticket = (self.ticket || 0) + 1;
        self.ticket = ticket;
        if (before !== undefined) self.setState({ waiting: true });
        (function poll() {
          if (self.gone || self.ticket !== ticket) return;
          var address = self.address();
          if (!address) return setTimeout(poll, 300);
          fetch(address.split("#")[0], { cache: "no-store" }).then(function (response) {
            return response.ok ? response.text() : null;
          }).then(function (text) {
            if (text === null) missing = true;
            var fresh = text !== null && (before === undefined ? true : text !== before);
            if (!fresh && Date.now() - started < 120000) return setTimeout(poll, 300);
            self.shown = text;
            if (self.gone) return;
            // On opening, the pane's page reloads only if it was not there yet.
            var reload = before !== undefined || missing;
            self.setState({ reload: self.state.reload + (reload ? 1 : 0), waiting: false });
          }, function () { setTimeout(poll, 300); });
        })();
      },
      foundCard: function (frame) {
        // The page names its card for Open Graph: show it under the page.
        var card = null;
        try {
          var meta = frame.contentDocument.querySelector('meta[property="og:image"]');
          var alt = frame.contentDocument.querySelector('meta[property="og:image:alt"]');
          if (meta) card = { src: new URL(meta.content).pathname, alt: alt ? alt.content : "" };
        } catch (error) { card = null; }
        if (JSON.stringify(card) !== JSON.stringify(this.state.card || null)) this.setState({ card: card });
      },
      labelled: function (node) {
        // Decap's preview pane is a document with no title and no language: name them
        // (for screen readers, which announce the frame by its title).
        if (!node) return;
        var doc = node.ownerDocument;
        doc.title = "Preview of the page";
        doc.documentElement.lang = this.state.lang;
      },
      render: function () {
        var self = this;
        var address = this.address();
        var bar = h("div", { style: BAR, ref: this.labelled }, [
          h("span", { key: "label", id: "ogp-preview-label" }, "The page as the site shows it:"),
        ].concat(ogp.languages.length > 1 ? ogp.languages.map(function (lang) {
          return h("button", {
            key: lang,
            type: "button",
            "aria-pressed": String(lang === self.state.lang),
            onClick: function () { self.setState({ lang: lang }); },
            style: buttonStyle(lang === self.state.lang),
          }, lang);
        }) : []).concat(this.state.waiting ? [h("span", { key: "wait", role: "status" }, "updating after your save…")] : []));
        if (!address || this.props.entry.get("newRecord")) {
          return h("div", {}, bar, h("p", { style: NOTE },
            "Save to see the story as the site shows it: its page, area badges and card."));
        }
        var src = address.split("#")[0] + "?ogp-preview=" + this.state.reload + (address.indexOf("#") >= 0 ? "#" + address.split("#")[1] : "");
        var card = this.state.card;
        return h("div", {}, bar, h("iframe", {
          key: src,
          src: src,
          title: "Preview: the page as the site shows it",
          style: FRAME,
          onLoad: function (event) { self.foundCard(event.target); },
        }), card ? h("figure", { style: CARD }, [
          h("img", { key: "img", src: card.src, alt: card.alt, width: 600, height: 315, style: { maxWidth: "100%", height: "auto" } }),
          h("figcaption", { key: "caption" }, "The story's social card (1200×630), as feeds and social posts show it"),
        ]) : null);
      },
    });
  }
})();
