package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"whyk8s/internal/inputfile"
)

// ErrBadSnapshot is wrapped by every error that is the snapshot's fault rather than the
// machine's, so the command line can answer it with the "bad input" exit code.
var ErrBadSnapshot = errors.New("bad snapshot")

// SnapshotError says what is wrong with a snapshot file, and where.
type SnapshotError struct {
	Path   string
	Line   int // 0 when unknown
	Reason string
}

func (e *SnapshotError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Reason)
}

func (e *SnapshotError) Unwrap() error { return ErrBadSnapshot }

// LoadFile reads and validates a snapshot written by SaveFile (or by another whyk8s).
func LoadFile(path string) (*Estate, error) {
	// Only a regular file, and only up to the limit: --snapshot /dev/zero or a named pipe
	// must be refused, not read until memory runs out or a writer appears.
	data, err := inputfile.Read(path, inputfile.MaxSnapshot)
	var refused *inputfile.Error
	if errors.As(err, &refused) {
		return nil, &SnapshotError{Path: path, Reason: refused.Problem}
	}
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	return Decode(path, data)
}

// Decode parses and validates snapshot bytes; name is used in error messages.
func Decode(name string, data []byte) (*Estate, error) {
	// Read the version first: a snapshot from a future whyk8s should be refused for its
	// version, not for whatever field it renamed.
	var head struct {
		SchemaVersion *int `json:"schemaVersion"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, jsonError(name, data, err)
	}
	if head.SchemaVersion == nil {
		return nil, &SnapshotError{Path: name, Reason: "missing required field \"schemaVersion\" (is this a whyk8s snapshot?)"}
	}
	var e *Estate
	switch *head.SchemaVersion {
	case SchemaVersion:
		e = new(Estate)
		if err := strictDecode(data, e); err != nil {
			return nil, jsonError(name, data, err)
		}
	case 1:
		var v1 estateV1
		if err := strictDecode(data, &v1); err != nil {
			return nil, jsonError(name, data, err)
		}
		e = v1.upgrade()
	default:
		return nil, &SnapshotError{Path: name, Reason: fmt.Sprintf("schemaVersion %d is not supported (this whyk8s reads versions 1 to %d)", *head.SchemaVersion, SchemaVersion)}
	}
	if err := e.Validate(); err != nil {
		return nil, &SnapshotError{Path: name, Reason: err.Error()}
	}
	return e, nil
}

// strictDecode decodes JSON refusing fields the shape does not have: a misspelt field is
// an error, not a silent default.
func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// Validate checks the fields every later stage relies on.
func (e *Estate) Validate() error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if e.CollectedAt.IsZero() {
		add("missing required field \"collectedAt\"")
	}
	seen := map[string]bool{}
	for i, g := range e.Groups {
		where := fmt.Sprintf("autoScalingGroups[%d]", i)
		if g.Name == "" {
			add("%s: missing required field \"name\"", where)
			continue
		}
		where += " (" + g.Name + ")"
		if g.Account == "" {
			add("%s: missing required field \"account\"", where)
		}
		if g.Region == "" {
			add("%s: missing required field \"region\"", where)
		}
		if seen[g.ID()] {
			add("%s: duplicate group %s", where, g.ID())
		}
		seen[g.ID()] = true
	}
	for i, lb := range e.ClassicLoadBalancers {
		if lb.Name == "" || lb.Account == "" || lb.Region == "" {
			add("classicLoadBalancers[%d]: name, account and region are required", i)
		}
	}
	for i, lb := range e.LoadBalancers {
		if lb.ARN == "" {
			add("loadBalancers[%d]: missing required field \"arn\"", i)
		}
	}
	for i, tg := range e.TargetGroups {
		if tg.ARN == "" {
			add("targetGroups[%d]: missing required field \"arn\"", i)
		}
	}
	for i, s := range e.Scripts {
		if s.Path == "" {
			add("scripts[%d]: missing required field \"path\"", i)
		}
	}
	if len(problems) > 5 {
		problems = append(problems[:5], fmt.Sprintf("and %d more", len(problems)-5))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// jsonError turns a decoding error into one naming the file, the line and the problem.
func jsonError(name string, data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &SnapshotError{Path: name, Line: lineAt(data, syn.Offset), Reason: "malformed JSON: " + syn.Error()}
	case errors.As(err, &typ):
		return &SnapshotError{Path: name, Line: lineAt(data, typ.Offset), Reason: fmt.Sprintf("field %q: expected %s, found JSON %s", typ.Field, typ.Type, typ.Value)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &SnapshotError{Path: name, Reason: "malformed JSON: file is empty or truncated"}
	}
	return &SnapshotError{Path: name, Reason: err.Error()}
}

func lineAt(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// Encode returns the snapshot bytes of the estate: sorted, indented, schema-versioned.
func Encode(e *Estate) ([]byte, error) {
	e.SchemaVersion = SchemaVersion
	e.Sort()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	return buf.Bytes(), nil
}
