"""`ogp-local images strip`: location, camera and author data out of the repository's
photos, losslessly (the site never publishes them; the repository may be public)."""

from __future__ import annotations

from pathlib import Path

import click

from ogp_local.cli.project import Project
from ogp_local.outputs.photos import metadata


@click.group()
def images() -> None:
    """The photos in the repository."""


@images.command("strip")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would be removed; change nothing.")
@click.pass_context
def images_strip(ctx: click.Context, paths: tuple[Path, ...], dry_run: bool) -> None:
    """Remove location, camera and author data from image files, losslessly.

    The site never publishes them (every image is re-encoded by the build); this
    cleans the repository itself, which may be public. JPEG, PNG and WebP files
    keep their image data byte for byte; a photo stored on its side keeps its
    orientation. A file that holds no metadata is not touched. Without PATHS:
    every image in the story folders and in docs_dir.

    \b
    Example:
      ogp-local images strip
      ogp-local images strip cases/madrid-hero.jpg --dry-run
    """
    project = Project.find(ctx.find_root().obj)
    if not paths:
        project.build.read()  # the images the site publishes, found as the build finds them
    targets = list(paths) or [project.root / p for p in project.build.found.images]
    changed = 0
    for path in targets:
        result = metadata.strip(path)
        if result is None:
            continue
        changed += 1
        shown = (
            path.resolve().relative_to(project.root)
            if path.resolve().is_relative_to(project.root)
            else path
        )
        verb = "Would strip" if dry_run else "Stripped"
        click.echo(f"{verb} {shown}: {', '.join(result.removed)}")
        if not dry_run:
            metadata.write(path, result.data)
    click.echo(
        f"{changed} of {len(targets)} image(s) held metadata"
        + ("; nothing was changed." if dry_run else "."),
        err=True,
    )
