package sqlstore

// UseGeneralPaths has s take the general path wherever its engine has one
// of its own (the dialect's addSheet, saveSectionInOne, unfoldedResponses,
// insertResponse and foldLock), until restore: for the package's tests
// that the two agree on the same data.
func (s *Store) UseGeneralPaths() (restore func()) {
	d := s.dialect
	s.dialect.addSheet = (*Reviews).addSheetAlone
	s.dialect.saveSectionInOne = nil
	s.dialect.unfoldedResponses = unfoldedResponses
	s.dialect.insertResponse = (*Surveys).insertResponseAlone
	s.dialect.foldLock = ""
	return func() { s.dialect = d }
}
