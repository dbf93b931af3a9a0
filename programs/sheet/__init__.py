"""The yearly sheet, read and written: the table the centers keep in Excel.

- `layout`: what the sheet looks like (header labels, required columns), the
  limits a file must keep, `ImportFailed`, and cell references.
- `vet`: the file checked before openpyxl sees it (zip, bombs, DTDs, sizes
  counted on the raw bytes), with the merges and the formulas without a saved
  value read by a streaming XML parser.
- `read`: the worksheets through openpyxl into plain `SheetPlan` data, every
  error naming file, sheet and cell.
- `write`: the same layout written back, for exports and the shipped plan.

`programs.plan_import` puts vet, read and the database together.
"""
