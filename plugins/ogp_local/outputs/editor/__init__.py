"""/admin/: the browser editor (Decap CMS), its configuration made from the schema."""
