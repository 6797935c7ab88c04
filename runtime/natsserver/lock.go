package natsserver

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// LockFile is the name of the file in a data directory that a running
// server holds locked.
const LockFile = "esgen.lock"

// ErrDataDirInUse reports a data directory on which a server is already
// running, in this process or another one. Two servers on one directory
// would each append to the same streams and lose or scramble events.
var ErrDataDirInUse = errors.New("natsserver: data directory in use")

// DataDirInUseError is the error of Start on a data directory another
// server holds. It matches ErrDataDirInUse with errors.Is.
type DataDirInUseError struct {
	Dir string // the data directory
	// PID is the process that holds the directory (the one that last
	// locked it, as its lock file says), 0 when unknown.
	PID int
}

func (e *DataDirInUseError) Error() string {
	holder := "pid unknown"
	if e.PID > 0 {
		holder = "pid " + strconv.Itoa(e.PID)
	}
	msg := fmt.Sprintf("natsserver: data directory %s is in use by another server (%s)", e.Dir, holder)
	if !lockDiesWithProcess {
		msg += fmt.Sprintf("; if that process no longer runs, remove %s", filepath.Join(e.Dir, LockFile))
	}
	return msg
}

// Unwrap returns ErrDataDirInUse.
func (e *DataDirInUseError) Unwrap() error { return ErrDataDirInUse }

// dirLock is a held lock on a data directory.
type dirLock struct {
	once    sync.Once
	release func() error
}

// lockDataDir creates dir if need be and takes its lock, or fails with a
// *DataDirInUseError when a server holds it.
func lockDataDir(dir string) (*dirLock, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("natsserver: data directory: %w", err)
	}
	release, err := acquire(dir, filepath.Join(dir, LockFile))
	if err != nil {
		return nil, err
	}
	return &dirLock{release: release}, nil
}

// Release gives the lock up; later calls do nothing.
func (l *dirLock) Release() error {
	var err error
	l.once.Do(func() { err = l.release() })
	return err
}

// lockHolder reads the pid a lock file names, 0 when it names none.
func lockHolder(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// pidLine is what a lock file holds: the holder's pid.
func pidLine() []byte { return []byte(strconv.Itoa(os.Getpid()) + "\n") }
