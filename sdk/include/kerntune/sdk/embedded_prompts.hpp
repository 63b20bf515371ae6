#pragma once
// The prompts compiled into this plugin by kerntune_embed_prompts(<target> <dir>) (CMake): one
// entry per <dir>/<name>.txt, name -> the file's bytes. Hand it to Prompts.

#include <map>
#include <string>

std::map<std::string, std::string> kerntune_embedded_prompts();
