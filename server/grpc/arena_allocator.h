// ArenaAllocator: a grpc::MessageAllocator that puts a callback RPC's request
// and response on one protobuf arena, freed at once when the call is done.
//
// A page of incidents is hundreds of strings and sub-messages; on an arena
// they are a few block allocations instead of a malloc and a free each. Set
// per method with the generated SetMessageAllocatorFor_<Method>; the
// allocator must outlive the server. Thread-safe (holds no state).
#ifndef FF_SERVER_GRPC_ARENA_ALLOCATOR_H_
#define FF_SERVER_GRPC_ARENA_ALLOCATOR_H_

#include "google/protobuf/arena.h"
#include "grpcpp/support/message_allocator.h"

namespace ff {

template <typename Request, typename Response>
class ArenaAllocator final : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override { return new Holder(); }

 private:
  // The first block holds a typical page (50 incidents); blocks stay under
  // malloc's mmap threshold.
  static google::protobuf::ArenaOptions Options() {
    google::protobuf::ArenaOptions options;
    options.start_block_size = 16 * 1024;
    options.max_block_size = 64 * 1024;
    return options;
  }

  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() : arena_(Options()) {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    void Release() override { delete this; }

   private:
    google::protobuf::Arena arena_;
  };
};

}  // namespace ff

#endif  // FF_SERVER_GRPC_ARENA_ALLOCATOR_H_
