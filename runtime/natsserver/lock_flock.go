//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package natsserver

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockDiesWithProcess: the operating system releases an flock when its
// holder dies, however it dies.
const lockDiesWithProcess = true

// acquire takes an exclusive advisory lock (flock) on the lock file,
// without waiting, and writes this process's pid into it. The file stays
// when the lock is released: only the lock says whether a server runs.
func acquire(dir, path string) (func() error, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("natsserver: lock file: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &DataDirInUseError{Dir: dir, PID: lockHolder(path)}
		}
		return nil, fmt.Errorf("natsserver: lock %s: %w", path, err)
	}
	if err = f.Truncate(0); err == nil {
		_, err = f.WriteAt(pidLine(), 0)
	}
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("natsserver: lock file: %w", err)
	}
	// Closing the file releases the lock.
	return f.Close, nil
}
