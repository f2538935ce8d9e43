"""The grids: a table's Qt model and view, the cell states they paint, the checks list."""
