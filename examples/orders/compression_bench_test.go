package orders

import (
	"context"
	"io/fs"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/jsstore"
	"github.com/esgen/esgen/runtime/natsserver"
)

// compressionOrders is how many orders BenchmarkCompression stores: each
// is Submit, ValidatePayment and Fulfill, three messages. Enough for the
// file store to fill (and so compress) several blocks.
const compressionOrders = 20000

// BenchmarkCompression stores the life of compressionOrders orders through
// the generated repository on an embedded server's file store, with and
// without jsstore.WithCompression, then measures loading one order (its
// three events, from the stream, no cached state). disk-bytes is the size
// of the stream's files after the server is restarted; append-ns/cmd is
// the cost of one command while storing. Command and figures:
// docs/benchmarks.md.
//
//	go test -run '^$' -bench Compression -benchtime 20000x -count 4 ./examples/orders | tee c.txt
//	benchstat -col /compression c.txt
func BenchmarkCompression(b *testing.B) {
	for _, tc := range []struct {
		name string
		opts []jsstore.Option
	}{
		{"none", nil},
		{"s2", []jsstore.Option{jsstore.WithCompression()}},
	} {
		b.Run("compression="+tc.name, func(b *testing.B) {
			ctx := context.Background()
			dir := b.TempDir()
			srv, js := compressionServer(b, dir)
			store, err := jsstore.New(ctx, js, tc.opts...)
			if err != nil {
				b.Fatal(err)
			}
			repo := NewOrderRepository(store, Decider{Now: func() time.Time { return clock }})
			began := time.Now()
			for i := range compressionOrders {
				id := "o-" + strconv.Itoa(i)
				for _, c := range []OrderCommand{Submit{Items: items}, ValidatePayment{PaymentID: "pay-" + id}, Fulfill{Tracking: "1Z" + id}} {
					if _, err := repo.Handle(ctx, id, c); err != nil {
						b.Fatal(err)
					}
				}
			}
			appendNs := float64(time.Since(began).Nanoseconds()) / (3 * compressionOrders)
			// Restart: the file store writes and closes every block.
			if err := srv.Shutdown(ctx); err != nil {
				b.Fatal(err)
			}
			_, js = compressionServer(b, dir)
			disk := dirBytes(b, filepath.Join(dir, "jetstream"), jsstore.DefaultStream)
			store, err = jsstore.New(ctx, js, tc.opts...)
			if err != nil {
				b.Fatal(err)
			}
			repo = NewOrderRepository(store, Decider{Now: func() time.Time { return clock }})
			i := 0
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				id := "o-" + strconv.Itoa(i%compressionOrders)
				i++
				repo.Forget(id)
				if _, err := repo.Load(ctx, id); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(disk), "disk-bytes")
			b.ReportMetric(appendNs, "append-ns/cmd")
		})
	}
}

func compressionServer(b *testing.B, dir string) (*natsserver.Server, jetstream.JetStream) {
	b.Helper()
	srv, err := natsserver.Start(context.Background(), natsserver.Options{DataDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	nc, err := srv.Connect()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		b.Fatal(err)
	}
	return srv, js
}

// dirBytes sums the sizes of the files of the directory named stream under
// root (the file store keeps a stream in <root>/<account>/streams/<name>).
func dirBytes(b *testing.B, root, stream string) int64 {
	b.Helper()
	var n int64
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && filepath.Base(filepath.Dir(filepath.Dir(path))) == stream {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
