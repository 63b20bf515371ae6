#include "core/backend/nvml_device_monitor.hpp"

#include "core/backend/cuda_shared_library.hpp"

#include <boost/json/array.hpp>

#include <array>
#include <optional>

namespace kerntune {
namespace {

// nvml.h ships with the driver's development files, not with the CUDA toolkit, and is not
// installed here; these are the few declarations used, as the NVML API reference gives them
// (stable since the _v2 entry points).
using nvmlReturn_t = int; // NVML_SUCCESS is 0
using nvmlDevice_t = void*;
constexpr nvmlReturn_t nvml_success = 0;
constexpr int nvml_clock_sm = 1;                    // NVML_CLOCK_SM
constexpr int nvml_clock_mem = 2;                   // NVML_CLOCK_MEM
constexpr int nvml_temperature_gpu = 0;             // NVML_TEMPERATURE_GPU
constexpr unsigned nvml_driver_version_length = 80; // NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE

// nvmlClocksEventReason* (formerly nvmlClocksThrottleReason*) bits, in bit order.
constexpr std::array<const char*, 9> throttle_reason_names{"gpu_idle",
                                                           "applications_clocks_setting",
                                                           "sw_power_cap",
                                                           "hw_slowdown",
                                                           "sync_boost",
                                                           "sw_thermal_slowdown",
                                                           "hw_thermal_slowdown",
                                                           "hw_power_brake_slowdown",
                                                           "display_clock_setting"};

struct NvmlApi {
    nvmlReturn_t (*nvmlInit_v2)() = nullptr;
    nvmlReturn_t (*nvmlShutdown)() = nullptr;
    nvmlReturn_t (*nvmlDeviceGetHandleByPciBusId_v2)(const char*, nvmlDevice_t*) = nullptr;
    nvmlReturn_t (*nvmlSystemGetDriverVersion)(char*, unsigned) = nullptr;
    nvmlReturn_t (*nvmlDeviceGetClockInfo)(nvmlDevice_t, int, unsigned*) = nullptr;
    nvmlReturn_t (*nvmlDeviceGetTemperature)(nvmlDevice_t, int, unsigned*) = nullptr;
    nvmlReturn_t (*nvmlDeviceGetPowerUsage)(nvmlDevice_t, unsigned*) = nullptr; // milliwatts
    nvmlReturn_t (*nvmlDeviceGetCurrentClockReasons)(nvmlDevice_t, unsigned long long*) = nullptr;
};

// The table, or nullopt when NVML or a function that every reading needs is missing. A reading
// whose function is missing is left out.
std::optional<NvmlApi> load_nvml() {
    CudaSharedLibrary library;
    std::string errors;
    if (!CudaSharedLibrary::open_first({"libnvidia-ml.so.1"}, library, errors))
        return std::nullopt;
    NvmlApi api;
    if (!library.load("nvmlInit_v2", api.nvmlInit_v2) ||
        !library.load("nvmlShutdown", api.nvmlShutdown) ||
        !library.load("nvmlDeviceGetHandleByPciBusId_v2", api.nvmlDeviceGetHandleByPciBusId_v2))
        return std::nullopt;
    library.load("nvmlSystemGetDriverVersion", api.nvmlSystemGetDriverVersion);
    library.load("nvmlDeviceGetClockInfo", api.nvmlDeviceGetClockInfo);
    library.load("nvmlDeviceGetTemperature", api.nvmlDeviceGetTemperature);
    library.load("nvmlDeviceGetPowerUsage", api.nvmlDeviceGetPowerUsage);
    // Renamed from "throttle" to "event" reasons in CUDA 12.2's NVML; same signature and bits.
    if (!library.load("nvmlDeviceGetCurrentClocksEventReasons",
                      api.nvmlDeviceGetCurrentClockReasons))
        library.load("nvmlDeviceGetCurrentClocksThrottleReasons",
                     api.nvmlDeviceGetCurrentClockReasons);
    return api;
}

const NvmlApi* nvml_api() {
    static const std::optional<NvmlApi> api = load_nvml();
    return api ? &*api : nullptr;
}

} // namespace

std::unique_ptr<NvmlDeviceMonitor> NvmlDeviceMonitor::open(const std::string& pci_bus_id) {
    const NvmlApi* api = nvml_api();
    if (!api || api->nvmlInit_v2() != nvml_success)
        return nullptr;
    nvmlDevice_t device = nullptr;
    if (api->nvmlDeviceGetHandleByPciBusId_v2(pci_bus_id.c_str(), &device) != nvml_success) {
        api->nvmlShutdown();
        return nullptr;
    }
    std::array<char, nvml_driver_version_length> version{};
    std::string driver_version;
    if (api->nvmlSystemGetDriverVersion &&
        api->nvmlSystemGetDriverVersion(version.data(), nvml_driver_version_length) == nvml_success)
        driver_version = version.data();
    return std::unique_ptr<NvmlDeviceMonitor>(
        new NvmlDeviceMonitor(device, std::move(driver_version)));
}

NvmlDeviceMonitor::NvmlDeviceMonitor(void* device, std::string driver_version)
    : device_(device), driver_version_(std::move(driver_version)) {}

// NVML counts its initialisations; each monitor ends its own.
NvmlDeviceMonitor::~NvmlDeviceMonitor() {
    nvml_api()->nvmlShutdown();
}

boost::json::object NvmlDeviceMonitor::read() const {
    const NvmlApi& api = *nvml_api();
    boost::json::object state;
    unsigned value = 0;
    if (api.nvmlDeviceGetClockInfo &&
        api.nvmlDeviceGetClockInfo(device_, nvml_clock_sm, &value) == nvml_success)
        state["sm_clock_mhz"] = value;
    if (api.nvmlDeviceGetClockInfo &&
        api.nvmlDeviceGetClockInfo(device_, nvml_clock_mem, &value) == nvml_success)
        state["memory_clock_mhz"] = value;
    if (api.nvmlDeviceGetTemperature &&
        api.nvmlDeviceGetTemperature(device_, nvml_temperature_gpu, &value) == nvml_success)
        state["temperature_c"] = value;
    if (api.nvmlDeviceGetPowerUsage && api.nvmlDeviceGetPowerUsage(device_, &value) == nvml_success)
        state["power_w"] = value / 1000.0;
    unsigned long long reasons = 0;
    if (api.nvmlDeviceGetCurrentClockReasons &&
        api.nvmlDeviceGetCurrentClockReasons(device_, &reasons) == nvml_success) {
        boost::json::array names;
        for (std::size_t bit = 0; bit < throttle_reason_names.size(); ++bit)
            if (reasons & (1ull << bit))
                names.emplace_back(throttle_reason_names[bit]);
        state["throttle_reasons"] = std::move(names);
    }
    return state;
}

} // namespace kerntune
