module mapscope.dev/gomapbench

go 1.19
