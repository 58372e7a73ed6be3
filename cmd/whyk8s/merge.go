package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"whyk8s/internal/atomicfile"
	"whyk8s/inventory"
)

func newMergeCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "merge SNAPSHOT… --out estate.json",
		Short: "Combine inventory snapshots collected separately into one estate",
		Long: `Combine snapshots collected separately — one per account or team, by people who each hold
only their own credentials — into one estate. Identical duplicates collapse; duplicates that
disagree are refused, naming the resource and both files.`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var parts []*inventory.Estate
			for _, p := range args {
				e, err := inventory.LoadFile(p)
				if err != nil {
					if errors.Is(err, inventory.ErrBadSnapshot) || errors.Is(err, os.ErrNotExist) {
						return usageError(err)
					}
					return err
				}
				parts = append(parts, e)
			}
			merged, err := inventory.Merge(parts...)
			var conflict *inventory.MergeConflict
			if errors.As(err, &conflict) {
				// Name the files, which the person merging knows, not positions.
				conflict.FirstSource, conflict.SecondSource = args[conflict.First-1], args[conflict.Second-1]
				return usageError(conflict)
			}
			if err != nil {
				return usageError(err)
			}
			data, err := inventory.Encode(merged)
			if err != nil {
				return err
			}
			out, _ := cmd.Flags().GetString("out")
			if err := atomicfile.WriteFile(out, data, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "whyk8s merged %d snapshots (%d Auto Scaling groups, %d accounts) into %s\n",
				len(args), len(merged.Groups), len(merged.Accounts), out)
			return nil
		},
	}
	cmd.Flags().String("out", "estate.json", "merged snapshot to write")
	return cmd
}
