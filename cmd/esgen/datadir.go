package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/esgen/esgen/runtime/natsserver"
)

// startOnData starts an embedded server on a -data directory. When
// another server holds the directory, the error says what to do.
func startOnData(ctx context.Context, o natsserver.Options) (*natsserver.Server, error) {
	srv, err := natsserver.Start(ctx, o)
	if inUse, ok := errors.AsType[*natsserver.DataDirInUseError](err); ok {
		return nil, dataInUseError{inUse}
	}
	return srv, err
}

// dataInUseError is a -data directory another process serves.
type dataInUseError struct{ err *natsserver.DataDirInUseError }

func (e dataInUseError) Error() string {
	holder := "pid unknown"
	if e.err.PID > 0 {
		holder = "pid " + strconv.Itoa(e.err.PID)
	}
	return fmt.Sprintf("-data %s: the directory is in use by another process (%s): stop it, or use -nats URL", e.err.Dir, holder)
}

func (e dataInUseError) Unwrap() error { return e.err }
