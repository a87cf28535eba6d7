//===- FromModel.cpp - A Model's stages for streams and servers -----------===//

#include "actors/FromModel.h"

#include "runtime/model/Model.h"

namespace akida::actors {

std::shared_ptr<ModelStages> makeModelStages(const Model &model,
                                             DeviceFactory device) {
  if (!device && model.device())
    // The model's own device (a usb:N one too); a restart reprograms it.
    device = [dev = model.device()] { return dev; };
  return makeModelStages(std::make_shared<const ModelDesc>(model.desc()),
                         model.sequences(), std::move(device));
}

} // namespace akida::actors
