// Reproducer folders, and the crash guard's signal handler (which only uses
// async-signal-safe calls on buffers prepared when it was armed).
#include "tests/jit/reproducer.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#ifndef QUESTLINE_DIFF_DEFAULT_OUT
#define QUESTLINE_DIFF_DEFAULT_OUT "tests/jit/failures"
#endif

namespace questline::jitdiff {
namespace {

std::string ReplayLine(uint64_t seed, const std::string& dir, const Case& c) {
  return "seed " + std::to_string(seed) + " (regenerate: QUESTLINE_DIFF_SEED=" + std::to_string(seed) +
         " QUESTLINE_DIFF_CASES=1 random_diff_test); replay: quest run " + dir + " --events " + dir +
         "/events.ndjson" + (c.until.empty() ? "" : " --until " + c.until) +
         " --engine interp (then --engine jit) and compare";
}

// The crash guard's prepared output: folder and three files.
struct Prepared {
  std::string root, dir, package_path, package, events_path, events, readme_path, readme;
};
Prepared* g_armed = nullptr;
const int kSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
struct sigaction g_previous[5];   // Catch2's handlers, restored before re-raising

void WriteAll(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  for (size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) break;
    done += size_t(n);
  }
  ::close(fd);
}

extern "C" void OnCrash(int sig) {
  if (Prepared* p = g_armed) {
    g_armed = nullptr;
    ::mkdir(p->root.c_str(), 0755);   // one level: the root's parent is the build tree or the user's
    ::mkdir(p->dir.c_str(), 0755);
    WriteAll(p->package_path, p->package);
    WriteAll(p->events_path, p->events);
    WriteAll(p->readme_path, p->readme);
    const char msg[] = "\nrandom_diff_test: a backend crashed; the case is saved in ";
    (void)!::write(2, msg, sizeof msg - 1);
    (void)!::write(2, p->dir.data(), p->dir.size());
    (void)!::write(2, "\n", 1);
  }
  for (size_t i = 0; i < 5; ++i)
    if (kSignals[i] == sig) ::sigaction(sig, &g_previous[i], nullptr);
  ::raise(sig);
}

}  // namespace

std::string OutputRoot() {
  const char* env = std::getenv("QUESTLINE_DIFF_OUT");
  return env && *env ? env : QUESTLINE_DIFF_DEFAULT_OUT;
}

std::string SaveReproducer(uint64_t seed, const Case& c, const std::string& what, const std::string& sub) {
  std::string dir = OutputRoot() + "/seed-" + std::to_string(seed) + (sub.empty() ? "" : "/" + sub);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::ofstream(dir + "/package.quest") << c.Package();
  std::ofstream(dir + "/events.ndjson") << c.Events();
  std::ofstream(dir + "/README.md") << ReplayLine(seed, dir, c) << "\n\n" << what;
  return dir;
}

void ArmCrashGuard(uint64_t seed, const Case& c) {
  static Prepared prepared;
  prepared.root = OutputRoot();
  prepared.dir = prepared.root + "/seed-" + std::to_string(seed) + "-crash";
  prepared.package_path = prepared.dir + "/package.quest";
  prepared.package = c.Package();
  prepared.events_path = prepared.dir + "/events.ndjson";
  prepared.events = c.Events();
  prepared.readme_path = prepared.dir + "/README.md";
  prepared.readme = ReplayLine(seed, prepared.dir, c) + "\n\na backend crashed on this case (not minimised)\n";
  static bool installed = false;
  if (!installed) {
    for (size_t i = 0; i < 5; ++i) {
      struct sigaction action {};
      action.sa_handler = OnCrash;
      action.sa_flags = SA_ONSTACK;
      sigemptyset(&action.sa_mask);
      ::sigaction(kSignals[i], &action, &g_previous[i]);
    }
    installed = true;
  }
  g_armed = &prepared;
}

void DisarmCrashGuard() { g_armed = nullptr; }

}  // namespace questline::jitdiff
