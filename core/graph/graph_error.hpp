#pragma once

#include "core/errors/error_kind.hpp"

#include <string>

namespace kerntune {

// A fault of the graph itself rather than of a node's work: a bad build call, a graph that does
// not validate, a router that picks a name outside its targets, the recursion limit, a
// checkpoint that does not fit. The supervisor never retries it and on_exhausted "continue"
// never swallows it.
class GraphError : public KindedError {
public:
    using KindedError::KindedError;
};

// A node's error leaving the node that failed, once its supervisor gave up. `node()` is the path
// of the node where the error arose, kept as the error travels out through subgraph nodes.
class NodeFailure : public KindedError {
public:
    NodeFailure(ErrorKind kind, const std::string& message, std::string node)
        : KindedError(kind, message), node_(std::move(node)) {}
    const std::string& node() const noexcept { return node_; }

private:
    std::string node_;
};

} // namespace kerntune
