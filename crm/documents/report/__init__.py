"""The half-year report: the data gathered for a period (`data`) and its text in the office's own words (`text`)."""
