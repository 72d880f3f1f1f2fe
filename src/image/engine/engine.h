// Container engines as image stores: the Docker Engine API, spoken by dockerd and by podman's
// compatible service, over a unix socket (or DOCKER_HOST=tcp://). distill uses three endpoints:
// GET /images/{name}/json (is it there?), GET /images/{name}/get (a `docker save` tar, streamed),
// POST /images/load (a docker-archive in, for `build -o docker:NAME`).
// https://docs.docker.com/reference/api/engine/ (ImageInspect, ImageGet, ImageLoad)
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "image/byte_stream.h"
#include "util/result.h"

namespace distill::image::engine {

struct Endpoint {
  std::string engine;    // "docker" or "podman"
  std::string socket;    // the unix socket; empty for tcp://
  std::string base_url;  // "http://localhost" over the socket, or "http://HOST:PORT"
  // What messages name: the socket path or the tcp:// address.
  std::string Where() const;
};

// Where `engine` listens, as its own CLI finds it:
//   docker: $DOCKER_HOST (unix:// or tcp://), else /var/run/docker.sock
//   podman: $CONTAINER_HOST, else $XDG_RUNTIME_DIR/podman/podman.sock, else /run/podman/podman.sock
// Then one connect() on the socket, so a missing, refusing or forbidden socket fails at once with
// a message that says which (and names the socket and `ref`, the image it was wanted for).
Result<Endpoint> Connect(std::string_view engine, std::string_view ref);

// Endpoint::Where plus the reference: "podman (/run/podman/podman.sock): app:1" — the context of
// every error about an image in an engine.
std::string Context(const Endpoint& ep, std::string_view ref);

// What to send for a reference the user gave: an image ID or a digest reference as written, a
// name without tag gets ":latest" (the API's get on a bare repository name saves all its tags).
std::string ApiReference(std::string_view ref);

// GET /images/{ref}/json: the engine's description of the image ("no such image" when absent).
Result<nlohmann::json> Inspect(const Endpoint& ep, std::string_view ref);

// GET /images/{ref}/get: the image as a `docker save` tar, streamed (errors mid-stream end it;
// they do not name the engine or the image: the reader of the stream adds Context).
std::unique_ptr<ByteStream> Save(const Endpoint& ep, std::string_view ref);

// POST /images/load with a docker-archive; returns what the engine said ("Loaded image: app:1").
Result<std::string> Load(const Endpoint& ep, std::string archive);

// The message of an engine's JSON error body ({"message": …} from dockerd, {"cause", "message",
// "response"} from podman); the body itself, trimmed and capped, when it is not such JSON.
std::string ErrorMessage(std::string_view body);

// The outcome of POST /images/load: its body is a stream of JSON lines ({"stream": "Loaded image:
// …"} or {"error": …, "errorDetail": …}); an "error" line fails the load even with status 200.
Result<std::string> ParseLoadResponse(std::string_view body);

}  // namespace distill::image::engine
