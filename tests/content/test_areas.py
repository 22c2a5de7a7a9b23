from ogp_local.content.areas import Areas


def luminance(colour: str) -> float:
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_ten_areas_of_the_spec():
    areas = Areas.load()
    assert [a.slug for a in areas] == [
        "access-to-information",
        "civic-space",
        "media-freedom",
        "fiscal-openness",
        "gender-and-inclusion",
        "public-participation",
        "anti-corruption",
        "environment-and-climate",
        "digital-governance",
        "justice",
    ]
    assert all(a.description and a.keywords for a in areas)


def test_white_text_on_every_area_colour_reaches_aa():
    for area in Areas.load():
        assert contrast(area.colour, "#ffffff") >= 4.5, area.slug


def test_lookup_by_slug_name_or_alias_in_any_case():
    areas = Areas.load()
    for text in ("anti-corruption", "Anti-Corruption", "ANTI CORRUPTION", "anti-corruption "):
        assert areas.lookup(text).slug == "anti-corruption"
    assert areas.lookup("Climate and Environment").slug == "environment-and-climate"
    assert areas.lookup("Gender & Inclusion").slug == "gender-and-inclusion"
    assert areas.lookup("anti-corruptoin") is None
    assert "anti-corruption" in areas.suggest("anti-corruptoin")


def test_inference_names_the_words_it_matched():
    areas = Areas.load()
    found = areas.infer("The city created a lobby registry; lobbyists and procurement rules.")
    assert found[0][0].slug == "anti-corruption"
    assert set(found[0][1]) >= {"lobby", "lobbyists", "procurement"}
    assert areas.infer("A quiet story about nothing in particular.") == []


def test_keywords_match_whole_words_only():
    areas = Areas.load()
    # "app" is a digital-governance keyword; "approach" must not match it.
    assert areas.infer("A new approach to happiness.") == []
