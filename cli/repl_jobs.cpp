// Background writes: `save` and `export` in a child process (fork), reported when they end.
//
// fork() gives the child the graph as it is at the command, copy-on-write, however the session
// changes it afterwards; the REPL answers the next command at once. Only the forking thread goes
// on in the child: it must not touch the query engine (its background threads, futures and
// mutexes are not there), only the graph writers, which read the graph. glibc's malloc is
// fork-safe (its atfork handlers hold every arena across the fork).
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <filesystem>

#include "repl.h"
#include "repl_output.h"

namespace newsgraph::cli {

namespace {

// The nice value of a background writer (0 is the REPL's, 19 the lowest priority): low enough
// that the REPL's main thread wins a contended core, not so low that a busy machine starves it.
constexpr int background_nice = 10;

// Two names of one file (g.ngraph, ./g.ngraph, dir/../g.ngraph) give one key.
std::string file_key(const std::string& file) {
  std::error_code ec;
  auto path = std::filesystem::weakly_canonical(file, ec);
  if (ec) path = std::filesystem::absolute(file, ec).lexically_normal();
  return ec ? file : path.string();
}

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the REPL is gone: nobody to tell
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  for (;;) {
    const auto n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return text;
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

// The child: writes the file, then leaves by _exit (no atexit handlers, no flush of the stdio
// buffers it shares with the REPL, no destructors of objects the REPL owns). Exit status 0 when
// written; else 1 with the one-line error on `error_fd`.
[[noreturn]] void run_child(pid_t parent, int error_fd, const std::function<void()>& write) {
  // kill -9 of the REPL kills the writer too, before its rename: the previous file stays whole,
  // as when a synchronous save is killed. The signal follows the thread that forked, the REPL's
  // main thread, which lives as long as the process. A REPL that died before prctl went
  // unnoticed: getppid() then names another process.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(2);
  // Ctrl-C and Ctrl-\ at the prompt are for the REPL (libedit), not for the file being written.
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGQUIT, SIG_IGN);
  // The writer gives way to the REPL: with two cores, a writer at the REPL's own priority and the
  // centralities thread leave the next command waiting for a core, tens of milliseconds.
  ::setpriority(PRIO_PROCESS, 0, background_nice);
  std::string message;
  try {
    write();
    ::_exit(0);
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
    message = "unknown failure";
  }
  // One line, and short: the pipe's buffer holds it without the REPL reading.
  for (auto& c : message)
    if (c == '\n' || c == '\r') c = ' ';
  if (message.size() > 2000) message.resize(2000);
  write_all(error_fd, message);
  ::_exit(1);
}

// Reaps `job` if it has ended (waiting for it when `wait`): its error, empty when written.
std::optional<std::string> reap(const repl_session::background_job& job, bool wait) {
  int status = 0;
  pid_t done;
  do done = ::waitpid(job.pid, &status, wait ? 0 : WNOHANG);
  while (done < 0 && errno == EINTR);
  if (done == 0) return std::nullopt;
  const auto what = job.file + ": background " + job.command;
  if (done < 0) {
    ::close(job.error_pipe);
    return what + " lost: " + std::strerror(errno);
  }
  auto message = read_all(job.error_pipe);
  ::close(job.error_pipe);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return std::string();
  if (!message.empty()) return message;
  if (WIFSIGNALED(status)) return what + " killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  return what + " failed (exit status " + std::to_string(WEXITSTATUS(status)) + ")";
}

}  // namespace

pid_t repl_session::start_job(std::string command, std::string file, const std::function<void()>& write) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw error(file + ": cannot start a background " + command + ": " + std::strerror(errno));
  const pid_t parent = ::getpid();
  // Nothing buffered for the terminal may be copied into the child: should a library there call
  // exit() rather than the child's _exit(), it would be printed twice.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int e = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw error(file + ": cannot start a background " + command + ": " + std::strerror(e));
  }
  if (pid == 0) {
    ::close(fds[0]);
    run_child(parent, fds[1], write);
  }
  ::close(fds[1]);  // the child holds the only write end: its exit is the pipe's end of file
  auto key = file_key(file);
  jobs_.push_back({pid, fds[0], std::move(command), std::move(file), std::move(key), changes_});
  return pid;
}

void repl_session::finish_job(background_job job, std::string error) {
  if (!error.empty()) ++failed_jobs_;
  // A save is the session's state only if nothing changed since it started.
  else if (job.command == "save" && job.generation == changes_) unsaved_ = false;
  finished_.push_back({std::move(job), std::move(error)});
}

void repl_session::collect_jobs(bool wait) {
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    auto error = reap(*it, wait);
    if (!error) {
      ++it;
      continue;
    }
    finish_job(std::move(*it), std::move(*error));
    it = jobs_.erase(it);
  }
}

void repl_session::wait_for_file(const std::string& file, reply& r) {
  const auto key = file_key(file);
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    if (it->key != key) {
      ++it;
      continue;
    }
    // An older state must never be renamed over a newer one: this write starts after that one ends.
    auto error = reap(*it, true);
    finish_job(std::move(*it), std::move(*error));
    it = jobs_.erase(it);
  }
  report_finished(r.out, err_ ? *err_ : std::cerr);
}

void repl_session::report_finished(std::ostream& out, std::ostream& err) {
  for (const auto& [job, error] : finished_) {
    if (!error.empty()) err << error_prefix_ << error << '\n';
    if (options_.json) {
      json_writer j;
      j.begin_object().key("job").string(job.command).key("pid").integer(job.pid);
      if (error.empty()) j.key("result").begin_object().key("file").string(job.file).end_object();
      else j.key("error").string(error);
      j.end_object();
      out << j.text() << '\n';
    } else if (error.empty()) {
      out << (job.command == "save" ? "saved " : "wrote ") << job.file << '\n';
    }
  }
  finished_.clear();
  out.flush();
  err.flush();
}

std::size_t repl_session::report_jobs(std::ostream& out, std::ostream& err, bool wait) {
  collect_jobs(false);
  if (wait)  // those that take a while: the user sees why the REPL does not end yet
    for (const auto& job : jobs_)
      err << "newsgraph: waiting for the background " << job.command << " of " << job.file << " (pid " << job.pid << ")\n";
  err.flush();
  collect_jobs(wait);
  std::size_t failed = 0;
  for (const auto& f : finished_) failed += f.error.empty() ? 0 : 1;
  report_finished(out, err);
  return failed;
}

}  // namespace newsgraph::cli
