//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package natsserver

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// lockDiesWithProcess: here the lock is a file's existence, which
// outlives a process that dies without Shutdown.
const lockDiesWithProcess = false

// acquire creates the lock file exclusively, with this process's pid in
// it, and removes it on release. A process killed while it holds the lock
// leaves the file behind; the error then says which file to remove.
func acquire(dir, path string) (func() error, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o640)
	if errors.Is(err, fs.ErrExist) {
		return nil, &DataDirInUseError{Dir: dir, PID: lockHolder(path)}
	}
	if err != nil {
		return nil, fmt.Errorf("natsserver: lock file: %w", err)
	}
	_, err = f.Write(pidLine())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return nil, fmt.Errorf("natsserver: lock file: %w", err)
	}
	return func() error { return os.Remove(path) }, nil
}
