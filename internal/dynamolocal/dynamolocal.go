// Package ddblocal runs the real DynamoDB Local (from the npm package
// amplify-dynamodb-simulator, unpacked by the Makefile) and builds clients for it.
package dynamolocal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
)

// EndpointEnv names the variable that points clients and tests at a running DynamoDB Local.
const EndpointEnv = "DYNAMODB_ENDPOINT"

// Options say where the emulator is and how to run it.
type Options struct {
	Dir    string // the unpacked emulator/ folder (DynamoDBLocal.jar, DynamoDBLocal_lib)
	DBPath string // on-disk data folder; empty: in memory
	Port   int    // 0: a free port
	Log    string // file for the JVM's output; empty: a temporary file
}

// Server is a running DynamoDB Local.
type Server struct {
	Endpoint string
	cmd      *exec.Cmd
	logPath  string
	done     chan struct{}
	once     sync.Once
}

// DefaultDir finds .cache/dynamodb-local/emulator above the working directory.
func DefaultDir() (string, error) {
	if d := os.Getenv("DYNAMODB_LOCAL_DIR"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		cand := filepath.Join(dir, ".cache", "dynamodb-local", "emulator")
		if _, err := os.Stat(filepath.Join(cand, "DynamoDBLocal.jar")); err == nil {
			return cand, nil
		}
		if filepath.Dir(dir) == dir {
			return "", errors.New("DynamoDB Local not found in .cache/dynamodb-local/emulator: run `make ddb-local`")
		}
	}
}

// FreePort asks the kernel for a port nobody listens on now.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start launches DynamoDB Local and waits until it answers.
func Start(ctx context.Context, o Options) (*Server, error) {
	if o.Dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return nil, err
		}
		o.Dir = d
	}
	for try := 0; ; try++ {
		s, err := start(ctx, o)
		// A port taken between FreePort and the JVM's bind: try another one.
		if err != nil && errors.Is(err, errBind) && o.Port == 0 && try < 3 {
			continue
		}
		return s, err
	}
}

var errBind = errors.New("port already in use")

func start(ctx context.Context, o Options) (*Server, error) {
	port := o.Port
	if port == 0 {
		p, err := FreePort()
		if err != nil {
			return nil, err
		}
		port = p
	}
	args := []string{"-Xmx512m", "-Djava.library.path=DynamoDBLocal_lib", "-jar", "DynamoDBLocal.jar",
		"-port", strconv.Itoa(port), "-disableTelemetry", "-sharedDb"}
	if o.DBPath == "" {
		args = append(args, "-inMemory")
	} else {
		abs, err := filepath.Abs(o.DBPath)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return nil, err
		}
		args = append(args, "-dbPath", abs)
	}
	logPath := o.Log
	if logPath == "" {
		f, err := os.CreateTemp("", "dynamodb-local-*.log")
		if err != nil {
			return nil, err
		}
		logPath = f.Name()
		f.Close()
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("java", args...)
	cmd.Dir = o.Dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start DynamoDB Local (is java installed?): %w", err)
	}
	s := &Server{Endpoint: "http://127.0.0.1:" + strconv.Itoa(port), cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); logFile.Close(); close(s.done) }()

	db := Client(s.Endpoint)
	deadline := time.Now().Add(60 * time.Second)
	for {
		log, _ := os.ReadFile(logPath)
		if bytes.Contains(log, []byte("Failed to bind")) || bytes.Contains(log, []byte("Address already in use")) {
			s.Stop()
			return nil, fmt.Errorf("DynamoDB Local on port %d: %w", port, errBind)
		}
		select {
		case <-s.done:
			return nil, fmt.Errorf("DynamoDB Local exited: %s", strings.TrimSpace(string(log)))
		case <-ctx.Done():
			s.Stop()
			return nil, ctx.Err()
		default:
		}
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := db.ListTables(pctx, &dynamodb.ListTablesInput{})
		cancel()
		if err == nil {
			return s, nil
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, fmt.Errorf("DynamoDB Local did not answer within 60 s: %w", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Stop ends the JVM and waits for it.
func (s *Server) Stop() {
	s.once.Do(func() {
		if s.cmd.Process != nil {
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
		}
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
			<-s.done
		}
	})
}

// LogPath is where the JVM writes.
func (s *Server) LogPath() string { return s.logPath }

// Config is an AWS config for DynamoDB Local: fixed credentials and region, because
// with -sharedDb they only need to be present, and no lookup of the environment.
func Config() aws.Config {
	return aws.Config{
		Region:      "ap-southeast-1",
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
		// Many goroutines share one client in tests and benchmarks; keep their connections.
		HTTPClient: awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) { tr.MaxIdleConnsPerHost = 64 }),
	}
}

// Client returns a DynamoDB client for the endpoint.
func Client(endpoint string) *dynamodb.Client {
	return dynamodb.NewFromConfig(Config(), func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) })
}

// StreamsClient returns a DynamoDB Streams client for the endpoint.
func StreamsClient(endpoint string) *dynamodbstreams.Client {
	return dynamodbstreams.NewFromConfig(Config(), func(o *dynamodbstreams.Options) { o.BaseEndpoint = aws.String(endpoint) })
}
