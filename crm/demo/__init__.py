"""The demo data set (the 2020 H1 report and Taipei's partner cities). May import any domain package."""
