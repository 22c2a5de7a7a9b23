"""`ogp-local bench`: the benchmark as a command."""

from __future__ import annotations

from pathlib import Path

import click

from ogp_local.cli.project import Project


@click.command()
@click.option(
    "-n",
    "--stories",
    "sizes",
    multiple=True,
    type=int,
    default=[1000],
    show_default=True,
    help="Corpus size; repeat for several.",
)
@click.option("--repeat", default=3, show_default=True, help="Runs per measure (median).")
@click.option(
    "--compare",
    is_flag=True,
    help="Also build the stories with Material's blog, "
    "tags and social plugins and mkdocs-rss-plugin (installed into a separate "
    "environment).",
)
@click.option(
    "--search",
    is_flag=True,
    help="Also measure a reader's first search in Chromium (bytes and time), with our "
    "search and with Material's lunr search.",
)
@click.option(
    "--serve",
    is_flag=True,
    help="Also time a save in the live preview: from writing a story's file to its new "
    "title on the page open in Chromium, against `ogp-local serve` (median of 5).",
)
@click.option(
    "--languages",
    default="",
    help="Also build the stories as a site in these languages besides English "
    "(comma-separated, e.g. es,fr), a quarter of them translated into each, cold and warm.",
)
@click.option(
    "--work",
    default=".cache/bench",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Scratch folder.",
)
@click.option(
    "--json",
    "json_path",
    default=".cache/bench/results.json",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where results go.",
)
@click.pass_obj
def bench(
    config_file: Path,
    sizes,
    repeat: int,
    compare: bool,
    search: bool,
    serve: bool,
    languages: str,
    work: Path,
    json_path: Path,
) -> None:
    """Generate a corpus of N stories and time our builds against plain MkDocs.

    Measures, each --repeat times (median): a cold build (no card cache), a
    warm build (nothing changed), a build after editing one story, and a plain
    `mkdocs build` of the same stories as ordinary pages; with --compare, also
    Material's blog + tags + social + mkdocs-rss-plugin, cold and warm.

    \b
    Examples:
      ogp-local bench -n 300
      ogp-local bench -n 1000 -n 5000 --repeat 1 --compare
      ogp-local bench -n 1000 -n 5000 -n 20000 --repeat 1 --search
      ogp-local bench -n 1000 --repeat 1 --languages es,fr
    """
    from ogp_local.bench import measure, report, run

    project = Project.find(config_file)
    measure.compile_code()
    results = []
    for n in sizes:
        click.echo(f"Benchmark: N={n} stories", err=True)
        results.append(
            run.bench(
                n,
                (project.root / work / str(n)).resolve(),
                project.root,
                repeat,
                compare,
                log=lambda line: click.echo(line, err=True),
                search=search,
                serve=serve,
                languages=tuple(lang for lang in languages.split(",") if lang),
            )
        )
        report.save(results, project.root / json_path)
    click.echo(report.table(results))
    click.echo(f"Results: {json_path}", err=True)
