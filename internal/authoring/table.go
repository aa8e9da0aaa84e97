package authoring

// ReadTable reads a CSV or XLSX upload as the imports here do (trimmed NFC cells, size
// and row limits, Vietnamese errors), for other services' bulk uploads.
func ReadTable(contentType string, body []byte, maxRows int) ([][]string, error) {
	return readTable(contentType, body, maxRows)
}

// RowsFailed summarises row errors as one validation error, as the imports do.
func RowsFailed(errs []RowError) error { return rowsFailed(errs) }
