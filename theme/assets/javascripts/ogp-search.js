/* OGP Local Stories: the header's search box and the story finder (/stories/).

   Both run on the Pagefind index the build writes to pagefind/. Nothing of it is
   loaded before the reader starts a search: then pagefind.js fetches only the
   index chunks and result fragments that search needs.
   Text from the index is only ever set as text (textContent); an excerpt's
   <mark> highlights are rebuilt as elements, everything else in it is text. */
(function () {
  "use strict";

  var RTL = /^(ar|fa|he|iw|ps|ur|yi|ckb|dv|sd|ug)(-|$)|-(arab|hebr|thaa|syrc|nkoo)(-|$)/i;
  var engine = null;

  /* What the script writes, in the page's language: the header's search partial
     renders them as JSON (#ogp-search-strings); English where it is missing. */
  var ENGLISH = {
    result_one: "%(count)s result",
    result_other: "%(count)s results",
    no_result: "No result for %(words)s",
    unavailable: "Search is not available here.",
    searching: "Searching…",
    no_match: "No story matches: try fewer words or filters.",
    finder_unavailable: "Search is not available here: browse the stories below.",
    written_in: "Written in %(language)s",
    areas: "Challenge areas",
  };
  var LANG = document.documentElement.lang || "en";
  var STRINGS = (function () {
    var block = document.getElementById("ogp-search-strings");
    var found = null;
    try {
      found = block ? JSON.parse(block.textContent) : null;
    } catch (error) {
      found = null;
    }
    return found && typeof found === "object" ? found : ENGLISH;
  })();

  function say(key, values) {
    var message = typeof STRINGS[key] === "string" ? STRINGS[key] : ENGLISH[key];
    return message.replace(/%\((\w+)\)s/g, function (whole, name) {
      var known = values && Object.prototype.hasOwnProperty.call(values, name);
      return known ? String(values[name]) : whole;
    });
  }

  function tryOr(make, fallback) {
    try {
      return make();
    } catch (error) {
      return fallback;
    }
  }

  var PLURALS = tryOr(function () {
    return new Intl.PluralRules(LANG);
  }, null);
  // Digits as the rest of the page writes them: Latin ones, grouped the language's way.
  var NUMBERS = tryOr(function () {
    return new Intl.NumberFormat(LANG, { numberingSystem: "latn" });
  }, null);
  var LANGUAGES = tryOr(function () {
    return new Intl.DisplayNames([LANG], { type: "language" });
  }, null);

  /* "12 results": the form of the count's plural category, else the "other" one. */
  function counted(key, count) {
    var category = PLURALS ? PLURALS.select(count) : count === 1 ? "one" : "other";
    var form = key + "_" + category;
    if (typeof STRINGS[form] !== "string") form = key + "_other";
    return say(form, { count: NUMBERS ? NUMBERS.format(count) : count.toLocaleString() });
  }

  function languageName(code) {
    var name = tryOr(function () {
      return LANGUAGES && LANGUAGES.of(code);
    }, null);
    return name && name !== code ? name : code; // "inglés" mid-sentence, as Intl writes it
  }

  function siteBase(value) {
    var base = value || "./";
    return new URL(base.endsWith("/") ? base : base + "/", document.baseURI);
  }

  function pagefind(base) {
    if (!engine) {
      var bundle = new URL("pagefind/pagefind.js", base).href;
      engine = import(bundle).then(function (found) {
        // No web worker: one file less to download (12 KB); a search is quick anyway.
        return found.options({ excerptLength: 24, noWorker: true }).then(function () {
          found.init();
          return found;
        });
      });
    }
    return engine;
  }

  function make(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined && text !== null) element.textContent = text;
    return element;
  }

  /* Pagefind's excerpt, with its <mark>s as elements and all else as text. */
  function excerpt(html) {
    var out = document.createDocumentFragment();
    var parsed = new DOMParser().parseFromString(html, "text/html");
    (function walk(node) {
      node.childNodes.forEach(function (child) {
        if (child.nodeType === Node.TEXT_NODE) out.append(child.textContent);
        else if (child.nodeName === "MARK") out.append(make("mark", null, child.textContent));
        else walk(child);
      });
    })(parsed.body);
    return out;
  }

  function areas(meta) {
    try {
      return JSON.parse(meta.areas || "[]");
    } catch (error) {
      return [];
    }
  }

  /* One result: title (the link), kind · member, country · date, area badges, excerpt. */
  function result(data, base, id, summary) {
    var meta = data.meta || {};
    var item = make("li", "ogp-search__result");
    // The story's own words (title, excerpt) in its language; the facts in the page's.
    function own(element) {
      if (meta.lang) {
        element.lang = meta.lang;
        element.dir = RTL.test(meta.lang) ? "rtl" : "ltr";
      }
      return element;
    }
    var link = make("a", "ogp-search__link");
    link.href = new URL(meta.href || "", base).href;
    link.id = id;
    link.append(own(make("span", "ogp-search__title", meta.title || meta.href)));
    item.append(link);
    var facts = [meta.kind, [meta.member, meta.country].filter(Boolean).join(", "), meta.date];
    var line = make("p", "ogp-search__facts", facts.filter(Boolean).join(" · "));
    if (meta.lang) {
      var label = make("span", "ogp-search__lang", meta.lang.toUpperCase());
      label.title = say("written_in", { language: languageName(meta.lang) });
      line.prepend(label, " ");
    }
    item.append(line);
    var tags = areas(meta);
    if (tags.length) {
      var list = make("ul", "ogp-badges ogp-search__badges");
      list.setAttribute("aria-label", say("areas"));
      tags.forEach(function (area) {
        var badge = make("span", "ogp-badge", area[1]);
        badge.style.setProperty("--ogp-area", area[2]);
        var entry = make("li");
        entry.append(badge);
        list.append(entry);
      });
      item.append(list);
    }
    var text = own(make("p", "ogp-search__excerpt"));
    // Without words there is no match to show: the story's summary says more.
    if (summary && meta.summary) text.textContent = meta.summary;
    else text.append(excerpt(data.excerpt || ""));
    item.append(text);
    return item;
  }

  /* Arrow keys move between the links of a result list; Enter follows one. */
  function arrows(list, before) {
    list.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(list.querySelectorAll(".ogp-search__link"));
      var at = links.indexOf(document.activeElement);
      if (at < 0) return;
      event.preventDefault();
      var next = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) before.focus();
      else if (next < links.length) links[next].focus();
    });
  }

  function firstLink(list) {
    return list.querySelector(".ogp-search__link");
  }

  /* ---- the header's box ------------------------------------------------------ */

  function header(form) {
    var input = form.querySelector("input[type=search]");
    var panel = form.querySelector(".ogp-search__panel");
    var status = form.querySelector(".ogp-search__status");
    var list = form.querySelector(".ogp-search__results");
    var all = form.querySelector(".ogp-search__all");
    var base = siteBase(form.getAttribute("data-base"));
    var finder = new URL(form.getAttribute("action"), document.baseURI);
    var asked = "";

    function close() {
      panel.hidden = true;
    }

    function run() {
      var words = input.value.trim();
      asked = words;
      if (!words) {
        close();
        return;
      }
      pagefind(base)
        .then(function (engine) {
          return engine.debouncedSearch(words, {}, 120);
        })
        .then(function (found) {
          if (found === null || asked !== words) return null; // a newer search runs
          return Promise.all(
            found.results.slice(0, 6).map(function (r) {
              return r.data();
            })
          ).then(function (shown) {
            if (asked !== words) return;
            list.replaceChildren.apply(
              list,
              shown.map(function (data, n) {
                return result(data, base, "ogp-search-result-" + n);
              })
            );
            var count = found.results.length;
            status.textContent = count
              ? counted("result", count)
              : say("no_result", { words: words });
            var target = new URL(finder);
            target.searchParams.set("q", words);
            all.href = target.href;
            panel.hidden = false;
          });
        })
        .catch(function (error) {
          status.textContent = say("unavailable");
          panel.hidden = false;
          console.warn("ogp-search:", error);
        });
    }

    input.addEventListener("input", run);
    input.addEventListener("focus", function () {
      pagefind(base); // start loading while the reader types
      if (input.value.trim() && list.children.length) panel.hidden = false;
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !panel.hidden && firstLink(list)) {
        event.preventDefault();
        firstLink(list).focus();
      } else if (event.key === "Escape") {
        close();
      }
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        close();
        input.focus();
      }
    });
    arrows(list, input);
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
    form.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !form.contains(event.relatedTarget)) close();
    });
  }

  /* ---- the story finder ------------------------------------------------------- */

  function finder(box) {
    var form = box.querySelector("form");
    var input = form.querySelector("input[name=q]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var status = box.querySelector(".ogp-finder__status");
    var list = box.querySelector(".ogp-finder__results");
    var more = box.querySelector(".ogp-finder__more");
    var base = siteBase(form.getAttribute("data-base"));
    var page = 20;
    var current = null;
    var shown = 0;
    var run = 0;

    function fromAddress() {
      var params = new URLSearchParams(location.search);
      input.value = params.get("q") || "";
      selects.forEach(function (select) {
        var wanted = params.get(select.name) || "";
        var known = Array.prototype.some.call(select.options, function (o) {
          return o.value === wanted;
        });
        select.value = known ? wanted : "";
      });
    }

    function toAddress() {
      var params = new URLSearchParams();
      if (input.value.trim()) params.set("q", input.value.trim());
      selects.forEach(function (select) {
        if (select.value) params.set(select.name, select.value);
      });
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
    }

    function showMore() {
      var mine = run;
      var next = current.results.slice(shown, shown + page);
      return Promise.all(
        next.map(function (r) {
          return r.data();
        })
      ).then(function (datas) {
        if (mine !== run) return;
        datas.forEach(function (data, n) {
          var id = "ogp-finder-result-" + (shown + n);
          list.append(result(data, base, id, !input.value.trim()));
        });
        shown += datas.length;
        more.hidden = shown >= current.results.length;
      });
    }

    /* Stories without words come newest year first (the index holds no date to
       sort by: that would cost every reader ~2.5 bytes a story to download). */
    function byYear(engine, filters) {
      var years = filters.year
        ? [filters.year]
        : Array.prototype.slice.call(form.elements.year.options, 1).map(function (o) {
            return o.value;
          });
      return Promise.all(
        years.map(function (year) {
          return engine.search(null, { filters: Object.assign({}, filters, { year: year }) });
        })
      ).then(function (found) {
        return {
          results: found.reduce(function (all, one) {
            return all.concat(one.results);
          }, []),
        };
      });
    }

    function search() {
      var mine = ++run;
      var words = input.value.trim();
      var filters = {};
      selects.forEach(function (select) {
        if (select.value) filters[select.name] = select.value;
      });
      status.textContent = say("searching");
      return pagefind(base)
        .then(function (engine) {
          return words ? engine.search(words, { filters: filters }) : byYear(engine, filters);
        })
        .then(function (found) {
          if (mine !== run) return;
          current = found;
          shown = 0;
          list.replaceChildren();
          var count = found.results.length;
          status.textContent = count ? counted("result", count) : say("no_match");
          box.setAttribute("data-count", String(count));
          return showMore();
        })
        .catch(function (error) {
          status.textContent = say("finder_unavailable");
          console.warn("ogp-search:", error);
        });
    }

    form.hidden = false;
    fromAddress();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      toAddress();
      search();
    });
    form.addEventListener("input", function () {
      toAddress();
      search();
    });
    form.addEventListener("reset", function () {
      window.setTimeout(function () {
        toAddress();
        search();
      });
    });
    more.querySelector("button").addEventListener("click", function () {
      var first = shown;
      showMore().then(function () {
        var link = list.querySelectorAll(".ogp-search__link")[first];
        if (link) link.focus();
      });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && firstLink(list)) {
        event.preventDefault();
        firstLink(list).focus();
      }
    });
    arrows(list, input);
    window.addEventListener("popstate", function () {
      fromAddress();
      search();
    });
    search();
  }

  /* "/" focuses search from anywhere but a field being typed in. Material binds the
     same key to its own search, which this site does not have: ours answers first. */
  window.addEventListener(
    "keydown",
    function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      var target = event.target;
      if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
      var box = document.querySelector("#ogp-finder-q:not([hidden])");
      var header = document.getElementById("ogp-search-input");
      var field = box && box.offsetParent ? box : header;
      if (!field || !field.offsetParent) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      field.focus();
      field.select();
    },
    true
  );

  document.querySelectorAll("[data-ogp-search]").forEach(header);
  document.querySelectorAll("[data-ogp-finder]").forEach(finder);
})();
