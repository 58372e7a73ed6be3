// Package templates holds the report templates embedded in the whyk8s binary.
//
// The Markdown report is a text/template so that a consultant can restyle it without
// rebuilding whyk8s: write the embedded template out, edit it, and pass it back with
// --template. The data it receives is documented on report's template data type.
package templates

import _ "embed"

// ReportMarkdownName is the embedded Markdown report template's file name; error messages
// about the embedded template name it.
const ReportMarkdownName = "report.md.tmpl"

//go:embed report.md.tmpl
var reportMarkdown string

// ReportMarkdown returns the embedded Markdown report template.
func ReportMarkdown() string { return reportMarkdown }
