import DistrictRuntime
import DispatchService

await ServiceRuntime.main(DispatchService.definition)
