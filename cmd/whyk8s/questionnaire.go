package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"whyk8s/assess"
	"whyk8s/internal/atomicfile"
)

func newQuestionnaireCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "questionnaire",
		Short: "Write the organisation-readiness questionnaire to fill in with the client",
		Long: `Write the answers template for the twelve organisational readiness factors: each with its
question, what each level 0–4 means, and a place for the answer and notes. Fill it in with the
client and pass it to 'whyk8s assess --answers FILE'. A factor left unanswered counts as
unknown, not as zero.`,
		Example: "  whyk8s questionnaire --out org.yaml",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			doc := assess.QuestionnaireTemplate()
			out, _ := cmd.Flags().GetString("out")
			if out == "" || out == "-" {
				_, err := a.stdout.Write(doc)
				return err
			}
			force, _ := cmd.Flags().GetBool("force")
			if _, err := os.Stat(out); err == nil && !force {
				return usageError(fmt.Errorf("%s exists and may hold a client's answers; use --force to replace it", out))
			} else if err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			if err := atomicfile.WriteFile(out, doc, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "whyk8s wrote the questionnaire to %s; fill it in and run 'whyk8s assess --answers %s'\n", out, out)
			return nil
		},
	}
	cmd.Flags().String("out", "", "file to write (default: standard output)")
	cmd.Flags().Bool("force", false, "replace an existing file")
	return cmd
}
