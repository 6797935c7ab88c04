package generator

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestArchiveAfter: archive after passes the retention period and the
// final states to the runtime definition, and gives the repository an
// Archive method; without it none of them appears.
func TestArchiveAfter(t *testing.T) {
	src := `package shop

aggregate Order {
    archive after 2160h
    state Draft initial
    state Done final
    state Gone final
    command Close
    command Drop
    event Closed
    event Dropped
    on Close: Draft -> Done emits Closed
    on Drop: Draft -> Gone emits Dropped
}
`
	file := func(src, name string) string {
		t.Helper()
		files, err := Generate(context.Background(), load(t, "shop.esm", src), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if f.Name == name {
				return string(f.Data)
			}
		}
		t.Fatal("no " + name)
		return ""
	}
	decide := func(src string) string { t.Helper(); return file(src, "order_decide.gen.go") }
	got := decide(src)
	for _, want := range []string{
		"\t\tArchiveAfter: 2160 * time.Hour,\n",
		"\t\tFinal: func(s OrderState) bool {\n\t\t\tswitch s.(type) {\n\t\t\tcase Done, Gone:\n\t\t\t\treturn true\n\t\t\t}\n\t\t\treturn false\n\t\t},\n",
		"An instance 2160h after",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("order_decide.gen.go lacks %q:\n%s", want, got)
		}
	}
	without := decide(strings.Replace(src, "    archive after 2160h\n", "", 1))
	if strings.Contains(without, "ArchiveAfter") || strings.Contains(without, "Final: func") {
		t.Errorf("without archive after, the definition names ArchiveAfter or Final")
	}
	repo := file(src, "order_repository.gen.go")
	for _, want := range []string{
		"// when, at now, it has been in a final state (Done or Gone) for 2160h, as\n// shop.esm declares (archive after)",
		"func (r *OrderRepository) Archive(ctx context.Context, id string, now time.Time) (bool, error) {\n\treturn r.repo.Archive(ctx, id, now)\n}\n",
	} {
		if !strings.Contains(repo, want) {
			t.Errorf("order_repository.gen.go lacks %q:\n%s", want, repo)
		}
	}
	if without := file(strings.Replace(src, "    archive after 2160h\n", "", 1), "order_repository.gen.go"); strings.Contains(without, "Archive") {
		t.Errorf("without archive after, the repository has an Archive method:\n%s", without)
	}
	if got := durationText(90*time.Minute + 30*time.Second); got != "1h30m30s" {
		t.Errorf("durationText(1h30m30s) = %q", got)
	}
	if got := durationText(90 * time.Minute); got != "1h30m" {
		t.Errorf("durationText(1h30m) = %q", got)
	}
}
