#pragma once
// Everything a strategy plugin needs: #include <kerntune/sdk/sdk.hpp>.

#include <kerntune/sdk/conversation.hpp>
#include <kerntune/sdk/embedded_prompts.hpp>
#include <kerntune/sdk/error.hpp>
#include <kerntune/sdk/graph.hpp>
#include <kerntune/sdk/host.hpp>
#include <kerntune/sdk/json.hpp>
#include <kerntune/sdk/kernel_text.hpp>
#include <kerntune/sdk/llm.hpp>
#include <kerntune/sdk/plugin.hpp>
#include <kerntune/sdk/prompt_template.hpp>
#include <kerntune/sdk/prompts.hpp>
#include <kerntune/sdk/restrictions.hpp>
#include <kerntune/sdk/retry_policy.hpp>
#include <kerntune/sdk/state.hpp>
#include <kerntune/sdk/strategy.hpp>
#include <kerntune/sdk/test_runner.hpp>
#include <kerntune/sdk/tune_params.hpp>
