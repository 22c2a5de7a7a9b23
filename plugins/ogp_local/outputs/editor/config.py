"""The browser editor's configuration (Decap CMS's `config.yml`), made from the
schema that checks the content: every field of `content/schema.py` becomes a form
field, with the widget its converter reads and the rule its converter applies, so
that a field or an area added there is in the editor with the next build.

What Decap cannot say in its configuration (an image needs its alt text, the file
name of a new story must be a slug, the files of the site's default language have
no language suffix) our `editor.js` enforces, from the `ogp` block of this config.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ogp_local.content import circles, schema
from ogp_local.content.areas import Areas
from ogp_local.content.discovery import SLUG
from ogp_local.content.versions import OWN_FIELDS, REQUIRED_WORDS

# JavaScript's RegExp reads these as Python's re does (no flags, no look-behind).
_URL = r"^https?://[^\s/]+\.[^\s]*$"
_VIDEO = (  # the addresses content/video.py plays, and only those
    r"^https?://(www\.|m\.)?((youtube(-nocookie)?\.com/(watch\?(.*&)?v=|(embed|shorts|live|v)/)"
    r"|youtu\.be/)[A-Za-z0-9_-]{11}([?&#/]|$)|(player\.)?vimeo\.com/([^?#]*/)?\d+([?#/]|$))"
)
_FOCUS = r"^\s*\d{1,3}(\.\d+)?%?\s*,\s*\d{1,3}(\.\d+)?%?\s*$"
_HASHTAG = r"^#?\w+$"
_LANG = schema._LANG.pattern
_WHOLE = r"^\d+\+?$"


@dataclass(frozen=True)
class Collection:
    """One kind of file the editor makes: where it lives and which fields it has."""

    name: str
    label: str
    label_singular: str
    folder: str
    fields: dict[str, schema.Field]
    path: str | None = None
    create: bool = True
    identifier: str = "title"
    summary: str = "{{title}}"
    translated: bool = True


def _widget(field: schema.Field, areas: Areas, languages: tuple[str, ...]) -> dict:
    """The form field for one schema field: its widget by what its converter reads."""
    made = _WIDGETS.get(field.convert)
    if made is None:
        raise LookupError(
            f"schema field '{field.name}' reads with {field.convert.__name__}, which has "
            "no editor widget: add one to outputs/editor/config.py's _WIDGETS"
        )
    widget = made(field, areas, languages)
    if field.name == "challenges":
        widget = _areas(areas)
    return widget


def _string(field, *_):
    return {"widget": "string"}


def _pattern(regex: str, message: str) -> Callable:
    return lambda field, *_: {"widget": "string", "pattern": [regex, message]}


def _names(field, *_):
    # Our own widget (editor.js): one name as text, several as a list, the way
    # authors write `member: Madrid` and `member: [São Paulo, Santa Catarina]`.
    return {"widget": "ogp-names", "hint": f"{field.hint}; separate several with commas"}


def _date(field, *_):
    return {
        "widget": "datetime",
        "format": "YYYY-MM-DD",
        "date_format": "YYYY-MM-DD",
        "time_format": False,
        "picker_utc": True,
    }


def _summary(field, *_):
    limit = schema.SUMMARY_MAX
    return {
        "widget": "text",
        "pattern": [
            rf"^[\s\S]{{0,{limit}}}$",
            f"at most {limit} characters: shorten it (it goes on cards, feeds and listings)",
        ],
    }


def _boolean(field, *_):
    return {"widget": "boolean", "default": False}


def _count(field, *_):
    return {"widget": "number", "value_type": "int", "min": 0}


def _hashtags(field, *_):
    return {
        "widget": "list",
        "field": {
            "label": "Hashtag",
            "name": "hashtag",
            "widget": "string",
            "pattern": [_HASHTAG, "a hashtag: letters, digits and _ only, e.g. #16Days"],
        },
    }


def _impact(field, *_):
    return {
        "widget": "list",
        "summary": "{{fields.value}} {{fields.label}}",
        "fields": [
            {"label": "Figure", "name": "value", "widget": "string", "hint": "e.g. 600+"},
            {"label": "What it counts", "name": "label", "widget": "string"},
        ],
    }


def _links(field, *_):
    return {
        "widget": "list",
        "summary": "{{fields.title}}",
        "fields": [
            {"label": "Title", "name": "title", "widget": "string"},
            {
                "label": "Address",
                "name": "url",
                "widget": "string",
                "pattern": [_URL, "a web address starting with https://"],
            },
        ],
    }


def _kind(field, *_):
    return {"widget": "select", "options": list(schema.ITEM_KINDS), "default": "news"}


def _language(field, areas, languages):
    return {"widget": "string", "pattern": [_LANG, "a language tag such as es or pt-BR"]}


def _areas(areas: Areas) -> dict:
    return {
        "widget": "select",
        "multiple": True,
        "min": 1,
        "options": [{"label": area.name, "value": area.slug} for area in areas],
        "hint": "the first you pick is the story's primary area: it colours the card",
    }


_WIDGETS: dict[Callable, Callable] = {
    schema.text: _string,
    schema.texts: _names,
    schema.publication: _date,
    schema.date: _date,
    schema.summary: _summary,
    schema.boolean: _boolean,
    schema.count: _count,
    schema.url: _pattern(_URL, "a web address starting with https://"),
    schema.language: _language,
    schema.hashtags: _hashtags,
    schema.impact: _impact,
    schema.links: _links,
    schema.focus: _pattern(_FOCUS, "x,y in percent of width and height, e.g. 50,30"),
    schema.item_kind: _kind,
    schema.video: _pattern(
        _VIDEO, "the video's own YouTube or Vimeo page, e.g. https://vimeo.com/123456"
    ),
}


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _field(field: schema.Field, areas: Areas, languages, translated: bool) -> dict:
    made = {"label": _label(field.name), "name": field.name, "required": field.required}
    made.update(_widget(field, areas, languages))
    if field.name == "image":
        made.update(widget="image", choose_url=False)
    made.setdefault("hint", field.hint)
    if translated and field.name in OWN_FIELDS:
        made["i18n"] = True
    return made


def _body(translated: bool) -> dict:
    made = {"label": "Text", "name": "body", "widget": "markdown", "required": False}
    if translated:
        made["i18n"] = True
    return made


def collections(settings_dirs: tuple[str, str, str]) -> list[Collection]:
    """The editor's collections: case studies, roundup months and their items,
    Local Circles, content pages."""
    cases_dir, roundups_dir, docs_dir = settings_dirs
    kinds = schema.KINDS
    title = schema.Field("title", schema.text, True, "the page's title", "About")
    return [
        Collection("cases", "Case studies", "Case study", cases_dir, kinds["case"].fields),
        Collection(
            "items",
            "Roundup items",
            "Roundup item",
            roundups_dir,
            kinds["item"].fields,
            path="{{year}}-{{month}}/{{slug}}",
            summary="{{dirname}} · {{title}}",
        ),
        Collection(
            "months",
            "Roundup months",
            "Roundup month",
            MONTHS + roundups_dir,
            kinds["roundup"].fields,
            path="{{year}}-{{month}}/index",
            identifier="summary",
            summary="{{dirname}} · {{summary}}",
        ),
        Collection(
            "circles",
            "Local Circles",
            "Local Circle",
            f"{docs_dir}/{circles.FOLDER}",
            _circle_fields(),
            identifier="name",
            summary="{{name}}",
            translated=False,
        ),
        Collection(
            "pages",
            "Pages",
            "Page",
            docs_dir,
            {"title": title},
            create=False,
        ),
    ]


MONTHS = "ogp-months/"
"""The roundup months' folder as the editor sees it: Decap lists a folder for one
collection, and months and items share theirs (editor.js maps the prefix away)."""


def _circle_fields() -> dict[str, schema.Field]:
    names = schema.Field("name", schema.text, True, "the circle's name", "Climate Action")
    theme = schema.Field("theme", schema.text, True, "what the members work on together", "")
    areas = schema.Field("areas", schema.texts, True, "challenge areas", "")
    members = schema.Field("members", schema.texts, True, '"Name, Country" each', "")
    return {f.name: f for f in (names, theme, areas, members)}


def _collection(made: Collection, areas: Areas, languages, media: str) -> dict:
    translated = made.translated and len(languages) > 1
    fields = []
    for field in made.fields.values():
        entry = _field(field, areas, languages, translated)
        if made.name == "circles" and field.name == "areas":
            entry.update(_areas(areas))
        if made.name == "circles" and field.name == "members":
            entry.update(
                widget="list",
                hint='one "Name, Country" each, e.g. "Scotland, United Kingdom"',
                field={
                    "label": "Member",
                    "name": "member",
                    "widget": "string",
                    "pattern": [r"^[^,]+,[^,]+$", 'write "Name, Country"'],
                },
            )
        fields.append(entry)
    fields.append(_body(translated))
    collection = {
        "name": made.name,
        "label": made.label,
        "label_singular": made.label_singular,
        "folder": made.folder,
        "extension": "md",
        "format": "frontmatter",
        "create": made.create,
        "slug": "{{slug}}",
        "identifier_field": made.identifier,
        "summary": made.summary,
        "media_folder": media,
        "public_folder": media,
        "fields": fields,
    }
    if made.path:
        collection["path"] = made.path
    if translated:
        collection["i18n"] = True
    return collection


def backend(editor) -> dict:
    """Decap's `backend:` block from the `editor:` settings (build/settings.py)."""
    made = {"name": editor.backend, "branch": editor.branch}
    for key in ("repo", "base_url", "auth_endpoint", "app_id"):
        if getattr(editor, key):
            made[key] = getattr(editor, key)
    if editor.backend == "gitlab" and editor.app_id:
        made["auth_type"] = "pkce"
    if editor.workflow:
        made["publish_mode"] = "editorial_workflow"
    return made


def decap_config(
    *,
    areas: Areas,
    languages: tuple[str, ...],
    dirs: tuple[str, str, str],
    site_url: str,
    backend: dict,
    local_port: int,
) -> dict:
    """Decap CMS's configuration (config.yml)."""
    made = [_collection(c, areas, languages, "images") for c in collections(dirs)]
    config: dict = {
        "backend": dict(backend),
        "local_backend": {
            "url": f"http://127.0.0.1:{local_port}/api/v1",
            "allowed_hosts": ["127.0.0.1", "localhost"],
        },
        "site_url": site_url,
        "locale": languages[0].split("-")[0],
        "media_folder": f"{dirs[2]}/assets/images",
        "public_folder": "/assets/images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": made,
    }
    if config["backend"].pop("publish_mode", None):
        config["publish_mode"] = "editorial_workflow"
    if len(languages) > 1:
        config["i18n"] = {
            "structure": "multiple_files",
            "locales": list(languages),
            "default_locale": languages[0],
        }
    return config


def ours(areas: Areas, languages: Iterable[str], dirs: tuple[str, str, str]) -> dict:
    """What editor.js needs: the file name rule, the folders, the areas' colours."""
    cases_dir, roundups_dir, docs_dir = dirs
    kinds = {"cases": "case", "items": "item", "months": "roundup"}
    return {
        "slug": SLUG.pattern,
        "translatable": sorted(OWN_FIELDS - {"draft"}),
        "required_words": {name: list(REQUIRED_WORDS[kind]) for name, kind in kinds.items()},
        "languages": list(languages),
        "months": {"shown": MONTHS + roundups_dir, "stored": roundups_dir},
        "folders": {"cases": cases_dir, "roundups": roundups_dir, "docs": docs_dir},
        "areas": {area.slug: {"name": area.name, "colour": area.colour} for area in areas},
    }
