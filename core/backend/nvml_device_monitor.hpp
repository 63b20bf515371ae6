#pragma once
// Reads a GPU's clocks, temperature, power draw and throttle reasons through NVML, so that every
// timing records the device state it was measured in. NVML is optional: without
// libnvidia-ml.so.1, or when it does not know the device, there is no monitor and timings carry
// no state.
#include <boost/json/object.hpp>

#include <memory>
#include <string>

namespace kerntune {

class NvmlDeviceMonitor {
public:
    // The monitor of the GPU at `pci_bus_id` ("0000:3B:00.0", as cuDeviceGetPCIBusId writes
    // it); nullptr when NVML does not load, does not initialise or does not find that GPU.
    static std::unique_ptr<NvmlDeviceMonitor> open(const std::string& pci_bus_id);

    NvmlDeviceMonitor(const NvmlDeviceMonitor&) = delete;
    NvmlDeviceMonitor& operator=(const NvmlDeviceMonitor&) = delete;
    ~NvmlDeviceMonitor();

    // The driver's release, such as "580.159.04"; empty when NVML does not say.
    const std::string& driver_version() const noexcept { return driver_version_; }

    // sm_clock_mhz, memory_clock_mhz, temperature_c, power_w and throttle_reasons (a list of
    // names, empty when the clocks are not held back); a reading NVML refuses is left out.
    boost::json::object read() const;

private:
    NvmlDeviceMonitor(void* device, std::string driver_version);
    void* device_;
    std::string driver_version_;
};

} // namespace kerntune
