//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package natsserver_test

import (
	"path/filepath"

	"github.com/esgen/esgen/runtime/natsserver"
)

// inUseAdvice is what an in-use error adds to its message here: the lock
// file outlives a process killed without Shutdown.
func inUseAdvice(dir string) string {
	return "; if that process no longer runs, remove " + filepath.Join(dir, natsserver.LockFile)
}
