from ogp_local.cli.main import main

main(prog_name="ogp-local")
