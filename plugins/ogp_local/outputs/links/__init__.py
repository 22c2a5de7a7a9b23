"""`ogp-local links`: the web addresses the stories name (content/links.py), asked by
lychee (lychee.py), the answers kept in the project's cache (answers.py) and told as
`path:line: links: …` lines (report.py). Never part of a build: the internet is not
ours."""
