UPDATE sheet_evidence SET sort_key = floor(random() * 9.2e18)::BIGINT;
