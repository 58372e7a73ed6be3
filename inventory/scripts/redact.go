package scripts

// Redact returns s with every secret value the redactor knows replaced by a marker such as
// «redacted:password». It is for text that reaches a person without passing through a
// reader: a file name, a tag value, an error message.
func Redact(s string) string { return redactString(s) }
