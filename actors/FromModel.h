//===- FromModel.h - A Model's stages for streams and servers -----*- C++ -*-===//
//
// The one place the actors read a Model (AkidaActors links AkidaModel; the
// pipeline library, AkidaPipeline, does not, since Model runs its mapped
// forwards through it): a model's sequences as pipeline stages, for
// StreamBuilder::model, ModelPipeline and serveModel.
//
//   ModelPipeline p(makeModelStages(model));           // or
//   StreamBuilder().model(makeModelStages(model), options) ...
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_FROMMODEL_H
#define AKIDA_ACTORS_FROMMODEL_H

#include "actors/ModelStages.h"

namespace akida {
class Model;
}

namespace akida::actors {

/// The stages of `model`: its mapping's sequences when mapped (hardware
/// ones on the device `device` opens; by default the model's own device,
/// Model::device(): a virtual device, or usb:N), else one software sequence.
std::shared_ptr<ModelStages> makeModelStages(const Model &model,
                                             DeviceFactory device = {});

} // namespace akida::actors

#endif // AKIDA_ACTORS_FROMMODEL_H
