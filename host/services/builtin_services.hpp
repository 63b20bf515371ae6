#pragma once

namespace kerntune::host {

// Makes every service table the host offers reachable through kt_host_api.get_service. Call once
// at start-up, before any plugin is loaded.
void register_builtin_services();

} // namespace kerntune::host
