"""`ogp-local bench`: a generated corpus at any size, built and timed."""
