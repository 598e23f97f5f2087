UPDATE sheet_evidence SET sort_key = random();
